"""Our migrations keep what is stored: the JSON columns of submissions, kept as text before,
come back as the same objects after the upgrade to JSONB."""
from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from ckan import model
from ckan.cli.cli import ckan as ckan_cli

BEFORE_JSONB = "9c4e7d21a0b3"


@pytest.mark.usefixtures("clean_db")
def test_json_text_rows_become_the_same_objects_in_jsonb(cli, make_record):
    pkg = make_record(name="migrated")
    result = cli.invoke(ckan_cli, ["db", "downgrade", "-p", "lampangpoverty", "-v",
                                   BEFORE_JSONB])
    assert result.exit_code == 0, result.output
    roles = {"เลขบัตรประชาชน": "direct_identifier", "อายุ": "quasi_identifier"}
    report = {"passed": False, "failures": ["k-anonymity: k = 1, threshold k >= 5"]}
    with model.meta.engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO lampangpoverty_microdata (id, package_id, filename, stored_path, size, "
            "roles, settings, status, progress, message, report, summary, created_by, "
            "created, modified) VALUES ('old', :pkg, 'bmn.csv', '/x', 1, :roles, '', "
            "'failed', 100, '', :report, '', 'tester', now(), now())"),
            {"pkg": pkg["id"], "roles": json.dumps(roles, ensure_ascii=False),
             "report": json.dumps(report)})

    result = cli.invoke(ckan_cli, ["db", "upgrade", "-p", "lampangpoverty"])
    assert result.exit_code == 0, result.output
    with model.meta.engine.begin() as conn:
        row = conn.execute(sa.text(
            "SELECT roles, settings, report, summary, pg_typeof(roles)::text FROM "
            "lampangpoverty_microdata WHERE id = 'old'")).one()
    assert row[4] == "jsonb"
    assert row[0] == roles and row[1] == {} and row[2] == report and row[3] is None
