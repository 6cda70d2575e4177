"""The disclosure gate in the running platform: a household table uploaded through the API
is checked by a background job on the real Redis queue, only a passing release is published,
and no raw value reaches the index, the activity stream or another user's API response."""
from __future__ import annotations

import csv
import io
import json
from urllib.parse import urlparse

import pytest
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk
from ckan.lib import jobs
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.lampangpoverty.disclosure import synthetic
from ckanext.lampangpoverty.gate import submission as gate
from ckanext.lampangpoverty.model import Microdata


def csv_bytes(df, encoding="utf-8") -> bytes:
    return df.to_csv(index=False).encode(encoding)


@pytest.fixture(scope="module")
def people():
    return synthetic.households(3000, seed=7)


@pytest.fixture
def admin(clean_db, organization):
    user = factories.User()
    call_action("organization_member_create", id=organization["id"], username=user["name"],
                role="admin")
    return user


@pytest.fixture
def dataset(make_record):
    return make_record(name="bmn-microdata", unit_of_observation="person", private=True)


def upload(user, dataset, content: bytes, name="bmn.csv", **fields):
    return call_action("lampangpoverty_microdata_upload",
                       {"user": user["name"], "ignore_auth": False},
                       id=dataset["id"], upload=FileStorage(io.BytesIO(content), name), **fields)


def run_jobs():
    jobs.Worker(["default"]).work(burst=True)


@pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues", "with_test_worker")
class TestGate:
    def test_without_roles_the_platform_proposes_them_and_names_no_raw_value(self, admin, dataset,
                                                                          people):
        result = upload(admin, dataset, csv_bytes(people.head(200)))
        assert result["status"] == "proposing" and "proposed" not in result
        run_jobs()
        result = call_action("lampangpoverty_microdata_show", {"user": admin["name"]},
                             microdata_id=result["id"])
        assert result["status"] == "needs_roles"
        proposed = result["proposed"]
        assert proposed["roles"]["national_id"] == "direct_identifier"
        assert proposed["roles"]["age"] == "quasi_identifier"
        assert {i["column"] for i in proposed["identifiers"]} >= set(synthetic.DIRECT)
        assert people["national_id"].iloc[0] not in json.dumps(result)

    def test_a_passing_release_is_published_and_measured_again(self, app, admin, dataset, people):
        result = upload(admin, dataset, csv_bytes(people), roles=synthetic.roles(),
                        recodes=synthetic.RECODES, household_column="household_id")
        assert result["status"] == "proposing"
        run_jobs()
        shown = call_action("lampangpoverty_microdata_show", {"user": admin["name"]},
                            microdata_id=result["id"])
        assert shown["status"] == "passed", shown["message"]
        assert shown["progress"] == 100
        assert shown["report"]["after"]["k"] >= 5

        resource = call_action("resource_show", id=shown["release_resource_id"])
        token = factories.APIToken(user=admin["name"])["token"]
        body = app.get(resource["url"], headers={"Authorization": token}).body
        rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
        assert rows and not set(synthetic.DIRECT) & set(rows[0])
        counts = {}
        for row in rows:
            key = tuple(row[q] for q in synthetic.QUASI)
            counts[key] = counts.get(key, 0) + 1
        assert min(counts.values()) >= 5

        summary = call_action("lampangpoverty_disclosure_summary", id=dataset["id"])
        assert summary["passed"] and summary["k_anonymity"] >= 5
        assert summary["global_risk"] < 0.03

    def test_the_internal_report_is_only_for_the_owning_organisation(self, admin, dataset, people):
        result = upload(admin, dataset, csv_bytes(people), roles=synthetic.roles(),
                        recodes=synthetic.RECODES)
        run_jobs()
        outsider = factories.User()
        other_admin = factories.User()
        factories.Organization(sector="education", users=[{"name": other_admin["name"],
                                                           "capacity": "admin"}])
        call_action("package_patch", {"user": admin["name"]}, id=dataset["id"], private=False)
        for user in (outsider, other_admin):
            shown = call_action("lampangpoverty_microdata_show",
                                {"user": user["name"], "ignore_auth": False},
                                microdata_id=result["id"])
            assert "report" not in shown and "roles" not in shown
        mine = call_action("lampangpoverty_microdata_show", {"user": admin["name"],
                                                             "ignore_auth": False},
                           microdata_id=result["id"])
        assert "report" in mine

    def test_the_internal_report_page_shows_risk_and_loss_as_tables(self, app, admin, dataset,
                                                                    people):
        result = upload(admin, dataset, csv_bytes(people), roles=synthetic.roles(),
                        recodes=synthetic.RECODES, household_column="household_id")
        run_jobs()
        token = factories.APIToken(user=admin["name"])["token"]
        page = app.get(f"/lampangpoverty/microdata/{result['id']}",
                       headers={"Authorization": token}).body
        assert "ความเสี่ยงก่อนและหลัง" in page and "การสูญเสียสารสนเทศรายคอลัมน์" in page
        assert "<td>income</td>" in page
        level = Microdata.get(result["id"]).report["information_loss"]["age"]["level"]
        with app.flask_app.test_request_context("/th/"):
            assert tk._(level) != level and tk._(level) in page  # the level, in Thai
        for raw_name in ("age_band", "quasi_identifier", "income_band", level):
            assert raw_name not in page
        assert '"information_loss"' not in page        # no raw JSON dump
        outsider = factories.APIToken(user=factories.User()["name"])["token"]
        page = app.get(f"/lampangpoverty/microdata/{result['id']}",
                       headers={"Authorization": outsider}, status=404).body
        assert "ความเสี่ยงก่อนและหลัง" not in page

    def test_a_failing_table_is_refused_with_the_measure_and_stays_private(self, admin, dataset,
                                                                          people):
        result = upload(admin, dataset, csv_bytes(people.head(12)), roles=synthetic.roles())
        run_jobs()
        shown = call_action("lampangpoverty_microdata_show", {"user": admin["name"]},
                            microdata_id=result["id"])
        assert shown["status"] == "failed"
        assert "global risk" in shown["message"] and "threshold" in shown["message"]
        assert shown["release_resource_id"] is None
        assert call_action("package_show", id=dataset["id"])["resources"] == []
        with pytest.raises(tk.ValidationError) as e:
            call_action("package_patch", {"user": admin["name"]}, id=dataset["id"], private=False)
        assert "private" in e.value.error_dict

    def test_a_failed_run_leaves_the_previous_release(self, admin, dataset, people):
        good = upload(admin, dataset, csv_bytes(people), roles=synthetic.roles(),
                      recodes=synthetic.RECODES)
        run_jobs()
        release_id = call_action("lampangpoverty_microdata_show", {"user": admin["name"]},
                                 microdata_id=good["id"])["release_resource_id"]
        upload(admin, dataset, csv_bytes(people.head(12)), roles=synthetic.roles())
        run_jobs()
        assert [r["id"] for r in call_action("package_show", id=dataset["id"])["resources"]] == [
            release_id]
        # still allowed
        call_action("package_patch", {"user": admin["name"]}, id=dataset["id"], private=False)

    def test_no_raw_value_reaches_the_index_activity_or_api(self, app, admin, dataset, people):
        upload(admin, dataset, csv_bytes(people), roles=synthetic.roles(),
               recodes=synthetic.RECODES)
        run_jobs()
        call_action("package_patch", {"user": admin["name"]}, id=dataset["id"], private=False)
        planted = [people["national_id"].iloc[5], people["phone"].iloc[5],
                   people["full_name"].iloc[5].split()[-1]]
        for value in planted:
            assert call_action("package_search", q=f'"{value}"', include_private=True)["count"] == 0
        activity = json.dumps(call_action("package_activity_list", id=dataset["id"],
                                          include_hidden_activity=True))
        shown = json.dumps(call_action("package_show", id=dataset["id"]))
        page = app.get(f"/poverty-dataset/{dataset['name']}").body
        for value in planted[:2]:
            assert value not in activity and value not in shown and value not in page


@pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues", "with_test_worker")
class TestBadInput:
    def assert_nothing_stored(self, dataset):
        assert Microdata.latest(dataset["id"]) is None
        assert list(gate.storage_dir().iterdir()) == []

    def assert_error_and_no_file(self, admin, result) -> str:
        """The submission ended in error, its reason kept, the raw file gone."""
        run_jobs()
        shown = call_action("lampangpoverty_microdata_show", {"user": admin["name"]},
                            microdata_id=result["id"])
        assert shown["status"] == "error"
        assert list(gate.storage_dir().iterdir()) == []
        return shown["message"]

    @pytest.fixture(autouse=True)
    def empty_storage(self, tmp_path, monkeypatch, ckan_config):
        monkeypatch.setitem(ckan_config, "ckanext.lampangpoverty.microdata.storage_path",
                            str(tmp_path / "raw"))

    def test_not_a_table(self, admin, dataset):
        with pytest.raises(tk.ValidationError) as e:
            upload(admin, dataset, b"\x89PNG\r\n\x1a\n\x00\x00\x00", name="photo.csv")
        assert "photo.csv" in str(e.value.error_dict["upload"])
        self.assert_nothing_stored(dataset)

    def test_a_2_gb_upload_is_refused_while_streaming_and_nothing_is_kept(self, admin,
                                                                          dataset):
        class TwoGigabytes(io.RawIOBase):
            """2 GiB of CSV-looking bytes, made as they are read (never held in memory)."""
            line = b"5201,1,45,M,12000\n"

            def __init__(self):
                self.left = 2 * 1024 ** 3

            def readable(self):
                return True

            def readinto(self, buffer):
                n = min(len(buffer), self.left)
                buffer[:n] = (self.line * (n // len(self.line) + 1))[:n]
                self.left -= n
                return n

        with pytest.raises(tk.ValidationError) as e:
            call_action("lampangpoverty_microdata_upload",
                        {"user": admin["name"], "ignore_auth": False}, id=dataset["id"],
                        upload=FileStorage(io.BufferedReader(TwoGigabytes()), "huge.csv"))
        message = str(e.value.error_dict["upload"])
        assert "huge.csv" in message and "1 GB" in message
        self.assert_nothing_stored(dataset)

    def test_ragged_rows_name_the_row(self, admin, dataset):
        result = upload(admin, dataset, b"age,sex\n1,M\n2\n", name="ragged.csv")
        assert "ragged.csv, row 3" in self.assert_error_and_no_file(admin, result)

    def test_a_role_for_a_missing_column_names_it(self, admin, dataset):
        result = upload(admin, dataset, b"age,sex\n1,M\n2,F\n",
                        roles={"tambon": "quasi_identifier"})
        assert "column tambon" in self.assert_error_and_no_file(admin, result)

    def test_a_10_mb_single_line_is_an_error_naming_the_row_not_a_500(self, app, admin,
                                                                      dataset):
        token = factories.APIToken(user=admin["name"])["token"]
        res = app.post("/en/api/3/action/lampangpoverty_microdata_upload",
                       headers={"Authorization": token},
                       data={"id": dataset["id"], "upload": (
                           io.BytesIO(b"age,sex\n" + b"4" * (10 * 1024 * 1024)), "one.csv")})
        assert res.status_code == 200, res.body[:300]
        assert res.json["result"]["status"] == "proposing"
        message = self.assert_error_and_no_file(admin, res.json["result"])
        assert "one.csv, row 2: a line is longer than 1048576 bytes" in message

    def test_carriage_return_line_ends_are_read(self, admin, dataset):
        result = upload(admin, dataset, "อายุ,เพศ\r45,M\r30,F\r".encode("cp874"), name="mac.csv")
        run_jobs()
        shown = call_action("lampangpoverty_microdata_show", {"user": admin["name"]},
                            microdata_id=result["id"])
        assert shown["status"] == "needs_roles" and shown["columns"] == ["อายุ", "เพศ"]

    def test_a_workbook_inflating_past_the_limit_is_refused_by_the_job(self, admin, dataset,
                                                                       monkeypatch,
                                                                       ckan_config):
        import pandas as pd
        monkeypatch.setitem(ckan_config, "ckanext.lampangpoverty.tables.max_unpacked_bytes",
                            2 * 1024 * 1024)
        book = io.BytesIO()
        pd.DataFrame({"age": [45] * 60000, "sex": ["M"] * 60000}).to_excel(book, index=False)
        assert len(book.getvalue()) < 1024 * 1024          # small to upload, big unpacked
        result = upload(admin, dataset, book.getvalue(), name="bomb.xlsx")
        assert result["status"] == "proposing"            # nothing parsed in the request
        message = self.assert_error_and_no_file(admin, result)
        assert "bomb.xlsx" in message and "MB once unpacked" in message

    def test_more_rows_than_the_limit_is_an_error(self, admin, dataset, monkeypatch,
                                                  ckan_config):
        monkeypatch.setitem(ckan_config, "ckanext.lampangpoverty.tables.max_rows", 10)
        result = upload(admin, dataset, b"age,sex\n" + b"45,M\n" * 20, name="rows.csv")
        assert "more than 10 rows" in self.assert_error_and_no_file(admin, result)

    def test_only_editors_of_the_dataset_may_upload(self, dataset):
        with pytest.raises(tk.NotAuthorized):
            upload(factories.User(), dataset, b"age,sex\n1,M\n")

    def test_upload_through_the_http_api(self, app, admin, dataset):
        token = factories.APIToken(user=admin["name"])["token"]
        res = app.post("/api/3/action/lampangpoverty_microdata_upload",
                       headers={"Authorization": token},
                       data={"id": dataset["id"],
                             "upload": (io.BytesIO("อายุ,เพศ\n1,M\n".encode("cp874")), "bmn.csv")})
        assert res.status_code == 200, res.body
        assert res.json["result"]["status"] == "proposing"
        run_jobs()
        shown = app.get("/api/3/action/lampangpoverty_microdata_show",
                        query_string={"microdata_id": res.json["result"]["id"]},
                        headers={"Authorization": token}).json["result"]
        assert shown["proposed"]["roles"] == {"อายุ": "quasi_identifier",
                                              "เพศ": "quasi_identifier"}


@pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues", "with_test_worker")
def test_an_editor_submits_and_confirms_roles_through_the_forms(app, admin, dataset, people):
    token = factories.APIToken(user=admin["name"])["token"]
    auth = {"Authorization": token}
    assert "Submit a household table" in app.get(f"/en/poverty-dataset/{dataset['name']}",
                                                 headers=auth).body
    res = app.post(f"/lampangpoverty/dataset/{dataset['name']}/microdata/new", headers=auth,
                   data={"upload": (io.BytesIO(csv_bytes(people)), "bmn.csv")},
                   follow_redirects=False)
    assert res.status_code == 302
    path = urlparse(res.headers["Location"]).path
    status_page = "/en" + path.removeprefix("/en").removeprefix("/th")
    page = app.get(status_page, headers=auth).body
    assert "Reading the table and proposing column roles" in page
    assert 'http-equiv="refresh"' in page
    run_jobs()
    page = app.get(status_page, headers=auth).body
    assert "Confirm the column roles" in page and 'name="role:national_id"' in page
    form = {f"role:{c}": r for c, r in synthetic.roles().items()}
    form.update({f"method:{c}": spec["method"] for c, spec in synthetic.RECODES.items()})
    form["household_column"] = "household_id"
    app.post(status_page, headers=auth, data=form)
    run_jobs()
    page = app.get(status_page, headers=auth).body
    record = Microdata.get(path.rsplit("/", 1)[-1])
    assert record.status == "passed", record.message
    assert record.settings["recodes"]["age"]["method"] == "age_band"  # the form's method
    assert ("Passed: release published" in page) != ("keeps little (amber)" in page)
    assert people["national_id"].iloc[0] not in page


@pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues", "with_test_worker")
def test_the_upload_form_names_a_bad_file(app, admin, dataset):
    token = factories.APIToken(user=admin["name"])["token"]
    res = app.post(f"/en/lampangpoverty/dataset/{dataset['name']}/microdata/new",
                   headers={"Authorization": token},
                   data={"upload": (io.BytesIO(b"a,b\n1\n"), "ragged.csv")},
                   follow_redirects=False)
    run_jobs()
    path = urlparse(res.headers["Location"]).path
    page = app.get("/en" + path.removeprefix("/en").removeprefix("/th"),
                   headers={"Authorization": token}).body
    assert "The file could not be checked" in page and "ragged.csv, row 2" in page


@pytest.mark.usefixtures("clean_db", "clean_index")
class TestResourceUploadGuard:
    def upload_resource(self, app, admin, dataset, content: bytes, name: str):
        token = factories.APIToken(user=admin["name"])["token"]
        return app.post("/en/api/3/action/resource_create", headers={"Authorization": token},
                        data={"package_id": dataset["id"], "name": name,
                              "upload": (io.BytesIO(content), name)})

    def test_a_table_with_identifiers_is_refused_as_a_resource(self, app, admin, dataset, people):
        res = self.upload_resource(app, admin, dataset, csv_bytes(people.head(50)), "rows.csv")
        assert res.status_code == 409
        message = str(res.json["error"]["upload"])
        assert "column national_id: Thai national ID" in message
        assert "disclosure check" in message
        assert people["national_id"].iloc[0] not in res.body
        assert call_action("package_show", id=dataset["id"])["resources"] == []

    def test_an_aggregate_table_is_accepted(self, app, admin, dataset):
        content = "ตำบล,ครัวเรือนยากจน\n520801,35\n520802,12\n".encode()
        res = self.upload_resource(app, admin, dataset, content, "aggregate.csv")
        assert res.status_code == 200, res.body


@pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues", "with_test_worker")
def test_file_errors_are_in_the_readers_language(app, admin, dataset):
    token = factories.APIToken(user=admin["name"])["token"]
    res = app.post("/th/api/3/action/lampangpoverty_microdata_upload",
                   headers={"Authorization": token},
                   data={"id": dataset["id"], "upload": (io.BytesIO(b"a,b\n1\n"), "ragged.csv")})
    assert res.status_code == 200, res.body
    run_jobs()
    for lang, text in (("th", "ragged.csv, แถว 2: มี 1 ช่อง แต่หัวตารางมี 2 ช่อง"),
                       ("en", "ragged.csv, row 2: 1 cells where the header has 2")):
        shown = app.get(f"/{lang}/api/3/action/lampangpoverty_microdata_show",
                        query_string={"microdata_id": res.json["result"]["id"]},
                        headers={"Authorization": token}).json["result"]
        assert shown["status"] == "error" and text in shown["message"]


@pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues", "with_test_worker")
def test_a_public_dataset_gets_its_release_once_it_passes(admin, make_record, people):
    public = make_record(name="bmn-public", unit_of_observation="person", private=False)
    result = upload(admin, public, csv_bytes(people), roles=synthetic.roles(),
                    recodes=synthetic.RECODES)
    assert call_action("package_show", id=public["id"])["resources"] == []
    run_jobs()
    shown = call_action("lampangpoverty_microdata_show", {"user": admin["name"]},
                        microdata_id=result["id"])
    assert shown["status"] == "passed", shown["message"]
    assert [r["id"] for r in call_action("package_show", id=public["id"])["resources"]] == [
        shown["release_resource_id"]]
