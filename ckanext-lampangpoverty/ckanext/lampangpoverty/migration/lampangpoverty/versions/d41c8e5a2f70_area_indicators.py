"""area indicators and their load status

Revision ID: d41c8e5a2f70
Revises: b7d2e4f1a3c5
Create Date: 2026-12-01 04:00:00
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "d41c8e5a2f70"
down_revision = "b7d2e4f1a3c5"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "lampangpoverty_area_indicator",
        sa.Column("resource_id", sa.UnicodeText, primary_key=True),
        sa.Column("area_code", sa.UnicodeText, primary_key=True),
        sa.Column("year", sa.Integer, primary_key=True),
        sa.Column("indicator", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("value", sa.Float, nullable=False),
        sa.Column("unit", sa.UnicodeText, nullable=False),
        sa.Column("source", sa.UnicodeText, nullable=False),
        sa.Column("loaded", sa.DateTime, nullable=False),
    )
    op.create_index("idx_lampangpoverty_area_indicator_area_year",
                    "lampangpoverty_area_indicator", ["area_code", "year"])
    op.create_table(
        "lampangpoverty_indicator_load",
        sa.Column("resource_id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("rows", sa.Integer, nullable=False),
        sa.Column("error_count", sa.Integer, nullable=False),
        sa.Column("errors", JSONB, nullable=False),
        sa.Column("checked", sa.DateTime, nullable=False),
        sa.Column("loaded", sa.DateTime),
    )


def downgrade():
    op.drop_table("lampangpoverty_indicator_load")
    op.drop_index("idx_lampangpoverty_area_indicator_area_year",
                  table_name="lampangpoverty_area_indicator")
    op.drop_table("lampangpoverty_area_indicator")
