"""Harvesting a real, separate CKAN 2.12 portal: the suite starts a second CKAN on loopback
(its own database on the test PostgreSQL, its own site id on the test Solr), seeds it through
its action API with datasets carrying GD-Catalog field names, and harvests it with
``lampangpoverty_ckan``: records arrive, a change at the portal updates ours, a deletion at
the portal withdraws ours."""
from __future__ import annotations

import json
import os
import secrets
import socket
import subprocess
import time
import urllib.request

import pytest

import ckan.plugins.toolkit as tk

from ..conftest import ROOT, load_stack
from .conftest import harvested, run_job, search

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index")

GDC = {"data_type": "ข้อมูลสถิติ", "geo_coverage": "จังหวัด", "update_frequency_unit": "ปี",
       "update_frequency_interval": "1", "first_year_of_data": "2565",
       "objective": "ยุทธศาสตร์ชาติ", "data_category": "ข้อมูลสาธารณะ", "data_collect": "ไม่มี",
       "data_language": "ไทย"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Portal:
    def __init__(self, url: str, token: str):
        self.url, self.token = url, token

    def call(self, action: str, data: dict) -> dict:
        request = urllib.request.Request(
            f"{self.url}/api/3/action/{action}", data=json.dumps(data).encode(),
            headers={"Authorization": self.token, "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())["result"]


@pytest.fixture(scope="module")
def portal():
    stack = load_stack()
    env = stack.Env("test")
    db = "ckan_gdc_source"
    stack.psql(env, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
    stack.psql(env, f"CREATE DATABASE {db} OWNER {stack.DB_USER} ENCODING 'UTF8' "
                    "TEMPLATE template0")
    port = _free_port()
    ini = env.var / "gdc-source.ini"
    ini.write_text(f"""[app:main]
use = egg:ckan
SECRET_KEY = {secrets.token_urlsafe(24)}
sqlalchemy.url = postgresql://{stack.DB_USER}:{stack.DB_PASSWORD}@127.0.0.1:{env.ports['pg']}/{db}
solr_url = {stack.solr_url(env)}
ckan.redis.url = redis://127.0.0.1:{env.ports['redis']}/3
ckan.site_url = http://127.0.0.1:{port}
ckan.site_id = gdc_source
ckan.plugins = activity
ckan.storage_path = {env.var / 'gdc-storage'}

[loggers]
keys = root
[handlers]
keys = console
[formatters]
keys = generic
[logger_root]
level = WARNING
handlers = console
[handler_console]
class = StreamHandler
args = (sys.stderr,)
formatter = generic
[formatter_generic]
format = %(levelname)s %(message)s
""")
    ckan = [str(ROOT / ".venv" / "bin" / "ckan"), "-c", str(ini)]
    run_env = {k: v for k, v in os.environ.items() if not k.startswith("CKAN_")}
    subprocess.run(ckan + ["db", "init"], check=True, capture_output=True, env=run_env)
    subprocess.run(ckan + ["db", "upgrade", "-p", "activity"], check=True,
                   capture_output=True, env=run_env)
    # It shares the test Solr under its own site id: drop what an earlier run indexed.
    subprocess.run(ckan + ["search-index", "clear"], check=True, capture_output=True,
                   env=run_env)
    subprocess.run(ckan + ["user", "add", "seeder", "email=seeder@example.org",
                           f"password={secrets.token_urlsafe(12)}"],
                   check=True, capture_output=True, env=run_env)
    subprocess.run(ckan + ["sysadmin", "add", "seeder"], check=True, capture_output=True,
                   env=run_env, input=b"y\n")
    token = subprocess.run(ckan + ["user", "token", "add", "seeder", "seed"], check=True,
                           capture_output=True, env=run_env, text=True
                           ).stdout.strip().splitlines()[-1].strip()
    log = open(env.var / "log" / "gdc-source.log", "wb")
    server = subprocess.Popen(ckan + ["run", "-H", "127.0.0.1", "-p", str(port)], stdout=log,
                              stderr=subprocess.STDOUT, env=run_env, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/3/action/status_show", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail(f"the source CKAN did not start; see {log.name}")
            time.sleep(0.5)
    portal = Portal(url, token)
    portal.call("organization_create", {"name": "lampang-pso", "title": "สำนักงานสถิติจังหวัดลำปาง"})
    portal.call("organization_create", {"name": "other-agency", "title": "หน่วยงานอื่น"})
    for n, org in ((1, "lampang-pso"), (2, "lampang-pso"), (3, "lampang-pso"),
                   (4, "other-agency")):
        portal.call("package_create", {
            "name": f"poverty-indicators-{n}", "title": f"ตัวชี้วัดความยากจน อำเภอที่ {n}",
            "notes": "ตัวชี้วัดความยากจนรายอำเภอ", "owner_org": org,
            "license_id": "cc-by", "maintainer": "สำนักงานสถิติจังหวัดลำปาง",
            "maintainer_email": "lampang@nso.go.th",
            "tags": [{"name": "ความยากจน"}],
            "extras": [{"key": k, "value": v} for k, v in GDC.items()],
            "resources": [{"url": f"https://data.example.go.th/{n}.csv", "name": "ตาราง",
                           "format": "CSV"}]})
    yield portal
    os.killpg(server.pid, 15)
    server.wait(timeout=30)
    log.close()


def test_a_real_ckan_portal_is_harvested_updated_and_withdrawn(portal, make_source):
    source = make_source("lampangpoverty_ckan", portal.url, {
        "organizations": ["lampang-pso"],
        "defaults": {"unit_of_observation": "amphoe", "area_codes": ["5201", "5205"]}})

    summary = run_job(source["id"])

    assert summary["outcome"] == "succeeded", summary
    assert summary["counts"]["added"] == 3          # the other agency's dataset filtered out
    records = {r.name: r for r in harvested(source["id"])}
    record = tk.get_action("package_show")(
        {"ignore_auth": True}, {"id": records["src-ckan-poverty-indicators-1"].id})
    assert record["data_type"] == "ข้อมูลสถิติ" and record["update_frequency_unit"] == "ปี"
    assert record["reference_period_start"] == "2022-01-01"
    assert record["area_codes"] == ["5201", "5205"]
    assert search(q="ตัวชี้วัดความยากจน")["count"] == 3

    portal.call("package_patch", {"id": "poverty-indicators-2",
                                  "title": "ตัวชี้วัดความยากจน อำเภอที่ 2 (ปรับปรุง)"})
    portal.call("package_delete", {"id": "poverty-indicators-3"})
    summary = run_job(source["id"])

    assert summary["counts"] == {"added": 0, "updated": 1, "unchanged": 1, "withdrawn": 1,
                                 "errored": 0}, summary
    assert {r.title for r in harvested(source["id"])} == {
        "ตัวชี้วัดความยากจน อำเภอที่ 1", "ตัวชี้วัดความยากจน อำเภอที่ 2 (ปรับปรุง)"}
    assert len(harvested(source["id"], include_withdrawn=True)) == 3
