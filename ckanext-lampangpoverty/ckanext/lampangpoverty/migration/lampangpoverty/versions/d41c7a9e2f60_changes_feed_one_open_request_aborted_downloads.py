"""changes feed log, one open access request per user and dataset, aborted downloads

- ``lampangpoverty_change``: one row per change of a dataset row (insert, update, delete),
  written by a trigger on ``package`` so that every path is seen (actions, harvest
  withdrawals, bulk updates, purges); ``seq`` is given to committed rows in commit order by
  the feed itself. Filled with one row per existing dataset.
- a partial unique index keeps one pending access request per user and dataset (older
  duplicates are closed as refused, with the reason);
- ``lampangpoverty_download.completed``: NULL while a transfer runs, true once the last
  byte went out, false when the client broke it off (it then does not count); earlier rows
  are taken as complete.

Revision ID: d41c7a9e2f60
Revises: d4e8a1c7f2b6
Create Date: 2026-12-06 09:00:00
"""
import sqlalchemy as sa
from alembic import op

revision = "d41c7a9e2f60"
down_revision = "d4e8a1c7f2b6"
branch_labels = None
depends_on = None

TRIGGER = """
CREATE OR REPLACE FUNCTION lampangpoverty_log_change() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    INSERT INTO lampangpoverty_change (package_id, name, type, owner_org, private, state)
    VALUES (OLD.id, OLD.name, OLD.type, OLD.owner_org, OLD.private, 'purged');
    RETURN OLD;
  END IF;
  IF TG_OP = 'UPDATE'
     AND NEW.state IS NOT DISTINCT FROM OLD.state
     AND NEW.private IS NOT DISTINCT FROM OLD.private
     AND NEW.owner_org IS NOT DISTINCT FROM OLD.owner_org
     AND NEW.name IS NOT DISTINCT FROM OLD.name
     AND NEW.metadata_modified IS NOT DISTINCT FROM OLD.metadata_modified THEN
    RETURN NEW;
  END IF;
  INSERT INTO lampangpoverty_change (package_id, name, type, owner_org, private, state)
  VALUES (NEW.id, NEW.name, NEW.type, NEW.owner_org, NEW.private, NEW.state);
  RETURN NEW;
END
$$ LANGUAGE plpgsql
"""


def upgrade():
    op.create_table(
        "lampangpoverty_change",
        sa.Column("id", sa.BigInteger, primary_key=True, autoincrement=True),
        sa.Column("seq", sa.BigInteger, unique=True),
        sa.Column("package_id", sa.UnicodeText, nullable=False),
        sa.Column("name", sa.UnicodeText),
        sa.Column("type", sa.UnicodeText),
        sa.Column("owner_org", sa.UnicodeText),
        sa.Column("private", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("state", sa.UnicodeText, nullable=False),
        sa.Column("changed", sa.DateTime, nullable=False,
                  server_default=sa.text("(clock_timestamp() AT TIME ZONE 'utc')")),
    )
    op.create_index("lampangpoverty_change_package", "lampangpoverty_change",
                    ["package_id", "seq"])
    op.create_index("lampangpoverty_change_unsequenced", "lampangpoverty_change", ["id"],
                    postgresql_where=sa.text("seq IS NULL"))
    op.execute("""
        INSERT INTO lampangpoverty_change
            (seq, package_id, name, type, owner_org, private, state, changed)
        SELECT row_number() OVER (ORDER BY metadata_modified, id), id, name, type, owner_org,
               private, state, COALESCE(metadata_modified, metadata_created,
                                        clock_timestamp() AT TIME ZONE 'utc')
        FROM package""")
    op.execute(TRIGGER)
    op.execute("""CREATE TRIGGER lampangpoverty_change AFTER INSERT OR UPDATE OR DELETE
                  ON package FOR EACH ROW EXECUTE FUNCTION lampangpoverty_log_change()""")

    op.execute("""
        UPDATE lampangpoverty_access_request r
        SET status = 'refused', decided = clock_timestamp() AT TIME ZONE 'utc',
            reason = 'Closed: a newer request by the same user for this dataset is open'
        WHERE r.status = 'pending' AND EXISTS (
            SELECT 1 FROM lampangpoverty_access_request n
            WHERE n.status = 'pending' AND n.package_id = r.package_id
              AND n.user_id = r.user_id AND (n.created, n.id) > (r.created, r.id))""")
    op.create_index("lampangpoverty_access_request_one_pending",
                    "lampangpoverty_access_request", ["package_id", "user_id"], unique=True,
                    postgresql_where=sa.text("status = 'pending'"))

    op.add_column("lampangpoverty_download", sa.Column("completed", sa.Boolean))
    op.execute("UPDATE lampangpoverty_download SET completed = true")


def downgrade():
    op.drop_column("lampangpoverty_download", "completed")
    op.drop_index("lampangpoverty_access_request_one_pending",
                  table_name="lampangpoverty_access_request")
    op.execute("DROP TRIGGER IF EXISTS lampangpoverty_change ON package")
    op.execute("DROP FUNCTION IF EXISTS lampangpoverty_log_change()")
    op.drop_table("lampangpoverty_change")
