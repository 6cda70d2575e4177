"""access requests, terms acceptance and the download log

Revision ID: 9c4e7d21a0b3
Revises: 6a1f3c2b9d10
Create Date: 2026-11-28 13:50:00
"""
import sqlalchemy as sa
from alembic import op

revision = "9c4e7d21a0b3"
down_revision = "6a1f3c2b9d10"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "lampangpoverty_access_request",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"),
                  nullable=False, index=True),
        sa.Column("purpose", sa.UnicodeText, nullable=False),
        sa.Column("institution", sa.UnicodeText, nullable=False),
        sa.Column("status", sa.UnicodeText, nullable=False),
        sa.Column("reason", sa.UnicodeText, nullable=False),
        sa.Column("expires", sa.DateTime),
        sa.Column("max_downloads", sa.Integer),
        sa.Column("decided_by", sa.UnicodeText),
        sa.Column("decided", sa.DateTime),
        sa.Column("created", sa.DateTime, nullable=False),
    )
    op.create_table(
        "lampangpoverty_terms_acceptance",
        sa.Column("package_id", sa.UnicodeText, sa.ForeignKey("package.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("user_id", sa.UnicodeText, sa.ForeignKey("user.id", ondelete="CASCADE"),
                  primary_key=True),
        sa.Column("accepted", sa.DateTime, nullable=False),
    )
    op.create_table(
        "lampangpoverty_download",
        sa.Column("id", sa.UnicodeText, primary_key=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False, index=True),
        sa.Column("microdata_id", sa.UnicodeText, nullable=False),
        sa.Column("user_id", sa.UnicodeText),
        sa.Column("request_id", sa.UnicodeText),
        sa.Column("access_level", sa.UnicodeText, nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )


def downgrade():
    op.drop_table("lampangpoverty_download")
    op.drop_table("lampangpoverty_terms_acceptance")
    op.drop_table("lampangpoverty_access_request")
