"""freshness, validation, link health and quality scores

Revision ID: d4e8a1c7f2b6
Revises: d41c8e5a2f70
Create Date: 2026-12-02 09:00:00
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "d4e8a1c7f2b6"
down_revision = "d41c8e5a2f70"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "lampangpoverty_package_quality",
        sa.Column("package_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("data_changed", sa.DateTime),
        sa.Column("metadata_share", sa.Float, nullable=False),
        sa.Column("metadata_missing", JSONB, nullable=False),
        sa.Column("freshness", sa.UnicodeText, nullable=False),
        sa.Column("freshness_detail", JSONB, nullable=False),
        sa.Column("last_changed", sa.DateTime),
        sa.Column("due", sa.DateTime),
        sa.Column("score", sa.Integer),
        sa.Column("parts", JSONB, nullable=False),
        sa.Column("computed", sa.DateTime, nullable=False),
    )
    op.create_index("lampangpoverty_package_quality_freshness",
                    "lampangpoverty_package_quality", ["freshness"])
    op.create_table(
        "lampangpoverty_resource_quality",
        sa.Column("resource_id", sa.UnicodeText,
                  sa.ForeignKey("resource.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("url", sa.UnicodeText, nullable=False),
        sa.Column("file_modified", sa.DateTime),
        sa.Column("data_changed", sa.DateTime),
        sa.Column("validation", sa.UnicodeText, nullable=False),
        sa.Column("report", JSONB),
        sa.Column("validated", sa.DateTime),
        sa.Column("link", sa.UnicodeText, nullable=False),
        sa.Column("link_code", sa.Integer),
        sa.Column("link_detail", JSONB, nullable=False),
        sa.Column("link_checked", sa.DateTime),
        sa.Column("link_good", sa.DateTime),
        sa.Column("link_failures", sa.Integer, nullable=False),
        sa.Column("link_queued", sa.DateTime),
    )
    op.create_table(
        "lampangpoverty_quality_task",
        sa.Column("name", sa.UnicodeText, primary_key=True),
        sa.Column("started", sa.DateTime),
        sa.Column("finished", sa.DateTime),
        sa.Column("message", sa.UnicodeText, nullable=False),
    )


def downgrade():
    op.drop_table("lampangpoverty_quality_task")
    op.drop_table("lampangpoverty_resource_quality")
    op.drop_index("lampangpoverty_package_quality_freshness",
                  "lampangpoverty_package_quality")
    op.drop_table("lampangpoverty_package_quality")
