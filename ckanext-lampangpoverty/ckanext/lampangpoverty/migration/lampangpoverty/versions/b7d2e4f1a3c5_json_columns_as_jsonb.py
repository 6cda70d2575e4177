"""json columns as jsonb

The roles, settings, report and summary of a submission were JSON kept as text; they become
JSONB, every existing row converted in place (an empty text becomes SQL NULL for the two
optional columns and an empty object for the two required ones).

Revision ID: b7d2e4f1a3c5
Revises: 9c4e7d21a0b3
Create Date: 2026-11-30 04:00:00
"""
from alembic import op

revision = "b7d2e4f1a3c5"
down_revision = "9c4e7d21a0b3"
branch_labels = None
depends_on = None

REQUIRED = ("roles", "settings")
OPTIONAL = ("report", "summary")


def upgrade():
    for column in REQUIRED:
        op.execute(f"ALTER TABLE lampangpoverty_microdata ALTER COLUMN {column} TYPE jsonb "
                   f"USING COALESCE(NULLIF({column}, ''), '{{}}')::jsonb")
    for column in OPTIONAL:
        op.execute(f"ALTER TABLE lampangpoverty_microdata ALTER COLUMN {column} TYPE jsonb "
                   f"USING NULLIF({column}, '')::jsonb")


def downgrade():
    for column in (*REQUIRED, *OPTIONAL):
        op.execute(f"ALTER TABLE lampangpoverty_microdata ALTER COLUMN {column} TYPE text "
                   f"USING {column}::text")
