"""microdata uploads and releases

Revision ID: 6a1f3c2b9d10
Revises:
Create Date: 2026-11-28 13:45:00
"""
import sqlalchemy as sa
from alembic import op

revision = "6a1f3c2b9d10"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "lampangpoverty_microdata",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText,
                  sa.ForeignKey("package.id", ondelete="CASCADE"), nullable=False, index=True),
        sa.Column("filename", sa.UnicodeText, nullable=False),
        sa.Column("stored_path", sa.UnicodeText, nullable=False),
        sa.Column("size", sa.Integer, nullable=False),
        sa.Column("roles", sa.UnicodeText, nullable=False),
        sa.Column("settings", sa.UnicodeText, nullable=False),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("progress", sa.Integer, nullable=False),
        sa.Column("message", sa.UnicodeText, nullable=False),
        sa.Column("report", sa.UnicodeText),
        sa.Column("summary", sa.UnicodeText),
        sa.Column("release_resource_id", sa.UnicodeText),
        sa.Column("created_by", sa.UnicodeText, nullable=False),
        sa.Column("created", sa.DateTime, nullable=False),
        sa.Column("modified", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("lampangpoverty_microdata")
