"""What reaches the DataStore: CSV tables of public datasets are loaded by ckanext-xloader,
previewed and queried; a private dataset, a release that is not public, a page of the portal
or an internal address never is; tables of a dataset that stops being public are no longer
readable and are deleted. Raw household tables are never resources at all."""
from __future__ import annotations

import http.server
import threading

import pytest

import ckan.plugins.toolkit as tk
from ckan.lib import jobs
from ckan.tests import factories
from ckan.tests.helpers import call_action, call_auth

from ckanext.lampangpoverty.model import Microdata, MicrodataStatus
from ckanext.lampangpoverty.targeting import datastore

CSV = ("area_code,year,indicator,value,unit,source\n"
       "5208,2568,target_poor_households,120,households,TPMAP\n")


@pytest.fixture
def csv_server():
    """A partner's file server on loopback."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = CSV.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/csv")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()



@pytest.fixture
def xloader_token(clean_db, monkeypatch):
    site = call_action("get_site_user")
    token = call_action("api_token_create", {"user": site["name"]}, user=site["name"],
                        name="xloader")["token"]
    monkeypatch.setitem(tk.config, "ckanext.xloader.api_token", token)
    return token


def admin() -> dict:
    """Who changes records in these tests (activities need a real user)."""
    return {"user": call_action("get_site_user")["name"]}


def resource(make_record, url, **dataset):
    pkg = make_record(resources=[{"url": url, "format": "CSV", "name": "table"}], **dataset)
    return pkg["resources"][0]


@pytest.mark.usefixtures("clean_db", "clean_index", "clean_datastore")
class TestPolicy:
    def test_a_public_dataset_on_an_outside_host_may_be_loaded(self, make_record, csv_server):
        res = resource(make_record, csv_server + "/table.csv")
        assert datastore.refusal(res["id"]) is None

    @pytest.mark.parametrize("fields,why", [
        ({"private": True}, "private"),
        ({"access_level": "registered"}, "access level"),
        ({"access_level": "licensed"}, "access level"),
    ])
    def test_private_or_restricted_datasets_are_refused(self, make_record, csv_server, fields,
                                                         why):
        res = resource(make_record, csv_server + "/t.csv", **fields)
        assert why in datastore.refusal(res["id"])

    @pytest.mark.ckan_config("ckanext.lampangpoverty.datastore.allowed_hosts", "")
    @pytest.mark.parametrize("url", ["http://127.0.0.1:9034/solr/ckan_test/select?q=*:*&wt=csv",
                                     "http://10.0.0.5/internal.csv",
                                     "http://169.254.169.254/latest/meta-data",
                                     "file:///etc/passwd"])
    def test_internal_addresses_are_refused(self, make_record, url):
        res = resource(make_record, url)
        assert datastore.refusal(res["id"]) is not None

    def test_only_this_datasets_own_passing_release_route_of_the_portal(self, make_record):
        site = tk.config["ckan.site_url"]
        other = make_record(name="other-release", unit_of_observation="person")
        release = Microdata(package_id=other["id"], filename="x.csv", stored_path="/nowhere",
                            size=1, created_by="t", status=MicrodataStatus.PASSED)
        from ckan import model
        model.Session.add(release)
        model.Session.commit()
        route = f"{site}/lampangpoverty/release/{release.id}/download"
        # another dataset pointing at that release, or any other page of the portal
        assert "page of this portal" in datastore.refusal(resource(make_record, route)["id"])
        assert datastore.refusal(resource(make_record, f"{site}/api/3/action/"
                                          "package_search")["id"]) is not None
        own = call_action("resource_create", admin(), package_id=other["id"], url=route,
                          format="CSV")
        assert datastore.refusal(own["id"]) is None
        release.status = MicrodataStatus.FAILED
        model.Session.commit()
        assert datastore.refusal(own["id"]) is not None

    @pytest.mark.usefixtures("clean_queues", "with_test_worker")
    def test_a_raw_household_table_is_never_a_resource_nor_loadable(self, make_record):
        """A household table submitted to the gate stays in its private storage: the dataset
        gets no resource for it, so xloader has nothing to fetch."""
        import io

        from werkzeug.datastructures import FileStorage

        from ckanext.lampangpoverty.disclosure import synthetic
        from ckanext.lampangpoverty.gate import submission

        editor = factories.User()
        org = factories.Organization(users=[{"name": editor["name"], "capacity": "admin"}],
                                     sector="government")
        pkg = make_record(owner_org=org["id"], unit_of_observation="person")
        raw = synthetic.households(50, seed=3).to_csv(index=False).encode()
        result = call_action("lampangpoverty_microdata_upload",
                             {"user": editor["name"], "ignore_auth": False}, id=pkg["id"],
                             upload=FileStorage(io.BytesIO(raw), "bmn_raw.csv"))
        assert result["status"] == "proposing"      # read by a background job
        jobs.Worker(["default"]).work(burst=True)
        shown = call_action("lampangpoverty_microdata_show", {"user": editor["name"]},
                            microdata_id=result["id"])
        assert shown["status"] == "needs_roles"
        assert call_action("package_show", id=pkg["id"])["resources"] == []
        from ckan import model

        storage = str(submission.storage_dir())
        assert not any(storage in (r.url or "") or "bmn_raw" in (r.url or "")
                       for r in model.Session.query(model.Resource))


@pytest.mark.usefixtures("clean_db", "clean_index", "clean_datastore", "clean_queues",
                         "with_test_worker")
class TestLoading:
    def test_a_public_csv_is_loaded_previewed_and_queried(self, make_record, csv_server,
                                                            xloader_token):
        res = resource(make_record, csv_server + "/indicators.csv")
        assert call_action("xloader_submit", resource_id=res["id"])
        jobs.Worker(["default"]).work(burst=True)
        found = call_action("datastore_search", resource_id=res["id"])
        assert found["total"] == 1 and found["records"][0]["area_code"] == "5208"
        rows = call_action("datastore_search_sql",
                           sql=f'SELECT value FROM "{res["id"]}" WHERE year = \'2568\'')
        assert rows["records"] == [{"value": "120"}]
        # the callback xloader's job makes over HTTP to the web server, made here directly
        call_action("xloader_hook", admin(), metadata={"resource_id": res["id"]},
                    status="complete")
        views = call_action("resource_view_list", id=res["id"])
        assert "datatables_view" in {v["view_type"] for v in views}

    def test_a_private_dataset_is_not_loaded_until_it_is_public(self, make_record, csv_server,
                                                                 xloader_token):
        res = resource(make_record, csv_server + "/t.csv", private=True)
        assert call_action("xloader_submit", resource_id=res["id"]) is False
        jobs.Worker(["default"]).work(burst=True)
        assert not datastore.in_datastore(res["id"])
        call_action("package_patch", admin(), id=res["package_id"], private=False)
        jobs.Worker(["default"]).work(burst=True)
        assert datastore.in_datastore(res["id"])

    def test_a_table_of_a_dataset_that_became_restricted_is_unreadable_then_deleted(
            self, app, make_record, csv_server, xloader_token):
        res = resource(make_record, csv_server + "/t.csv")
        call_action("xloader_submit", resource_id=res["id"])
        jobs.Worker(["default"]).work(burst=True)
        reader = factories.User()
        assert call_auth("datastore_search", {"user": reader["name"]}, resource_id=res["id"])
        dump = f"/datastore/dump/{res['id']}"
        sql = {"sql": f'SELECT * FROM "{res["id"]}"'}
        assert "120" in app.get(dump, status=200).get_data(as_text=True)
        app.get("/api/3/action/datastore_search_sql", query_string=sql, status=200)
        call_action("package_patch", admin(), id=res["package_id"], access_level="licensed")
        # the download page and a query over HTTP, as anyone outside the organisation
        assert "120" not in app.get(dump, status=404).get_data(as_text=True)
        app.get("/api/3/action/datastore_search_sql", query_string=sql, status=403)
        with pytest.raises(tk.NotAuthorized):
            call_auth("datastore_search", {"user": reader["name"]}, resource_id=res["id"])
        with pytest.raises(tk.NotAuthorized):
            call_auth("datastore_search_sql", {"user": "", "table_names": [res["id"]]},
                      sql="x")
        jobs.Worker(["default"]).work(burst=True)
        assert not datastore.in_datastore(res["id"])

    def test_editors_cannot_push_rows_into_a_private_dataset(self, make_record):
        editor = factories.User()
        org = factories.Organization(users=[{"name": editor["name"], "capacity": "editor"}],
                                     sector="government")
        pkg = make_record(owner_org=org["id"], private=True,
                          resources=[{"url": "http://example.org/x.csv", "format": "CSV"}])
        with pytest.raises(tk.NotAuthorized):
            call_auth("datastore_create", {"user": editor["name"]},
                      resource_id=pkg["resources"][0]["id"])


def test_the_read_only_user_reads_the_datastore_only():
    """bin/stack made the read-only user: it may not write the DataStore nor open the main
    database (datastore_search_sql runs as it)."""
    import psycopg2
    from sqlalchemy.engine import make_url

    read = make_url(tk.config["ckan.datastore.read_url"])
    main = make_url(tk.config["sqlalchemy.url"])
    args = {"host": read.host, "port": read.port, "user": read.username,
            "password": read.password}
    with pytest.raises(psycopg2.OperationalError, match="permission denied"):
        psycopg2.connect(dbname=main.database, **args)
    conn = psycopg2.connect(dbname=read.database, **args)
    try:
        with conn.cursor() as cur, pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute("CREATE TABLE sneaky (x int)")
    finally:
        conn.close()
