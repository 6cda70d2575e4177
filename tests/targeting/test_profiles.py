"""Area indicators feed the profiles once loaded; a bad table is refused row by row and
replaces nothing; needs are set against the programmes that serve an area."""
from __future__ import annotations

import datetime

import pytest

import ckan.plugins.toolkit as tk
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.lampangpoverty.targeting import profile as profile_mod

HEADER = ["area_code", "year", "indicator", "value", "unit", "source"]
TODAY = profile_mod.today()


def rows(**overrides):
    """Thoen (5208) and two of its tambon, 2567 and 2568."""
    base = {
        ("520801", "tpmap_living_conditions"): 60, ("520802", "tpmap_living_conditions"): 20,
        ("5208", "tpmap_living_conditions"): 80,
        ("520801", "target_poor_households"): 100, ("520802", "target_poor_households"): 50,
        ("5208", "target_poor_households"): 150,
        ("5208", "target_poor_elderly"): 40, ("520801", "target_poor_elderly"): 30,
        ("520802", "target_poor_elderly"): 10,
    }
    out = []
    for year in (2567, 2568):
        for (code, indicator), value in base.items():
            unit = "persons" if indicator == "target_poor_elderly" else "households"
            v = overrides.get((code, indicator, year), value + (2568 - year) * 10)
            out.append([code, str(year), indicator, str(v), unit, "TPMAP"])
    return out



@pytest.fixture
def sysadmin(clean_db):
    return factories.Sysadmin()


def site() -> dict:
    """Who writes the DataStore in these tests (its activities need a real user)."""
    return {"user": call_action("get_site_user")["name"]}


def load_table(make_record, table, name="indicators", **dataset):
    pkg = make_record(name=name, resources=[{"url": "http://example.org/i.csv",
                                             "format": "CSV", "table_schema": "area_indicators"}],
                      **dataset)
    res = pkg["resources"][0]
    call_action("datastore_create", site(), resource_id=res["id"], force=True,
                fields=[{"id": h, "type": "text"} for h in HEADER],
                records=[dict(zip(HEADER, r, strict=False)) for r in table])
    return res


def programme(make_record, name, areas, **fields):
    data = {"name": name, "title": name, "area_codes": areas, "programme_status": "open",
            "tpmap_dimensions": ["living_conditions"], "capacity": 40,
            "capacity_unit": "households",
            "close_date": (TODAY + datetime.timedelta(days=30)).isoformat(), **fields}
    return make_record("agency-resource", **data)


@pytest.mark.usefixtures("clean_db", "clean_index", "clean_datastore")
class TestIndicators:
    def test_a_loaded_table_feeds_the_profile(self, make_record, sysadmin):
        res = load_table(make_record, rows())
        status = call_action("lampangpoverty_area_indicators_load",
                             {"user": sysadmin["name"]}, resource_id=res["id"])
        assert status["status"] == "loaded" and status["rows"] == 18
        shown = call_action("lampangpoverty_area_profile", id="5208")
        assert shown["year"] == 2568
        living = next(d for d in shown["dimensions"] if d["dimension"] == "living_conditions")
        assert [p["value"] for p in living["series"]] == [90, 80]
        assert [s["code"] for s in shown["sub_areas"]][:2] == ["520801", "520802"]

    def test_a_bad_table_names_rows_and_columns_and_replaces_nothing(self, make_record,
                                                                     sysadmin, app):
        res = load_table(make_record, rows())
        call_action("lampangpoverty_area_indicators_load", {"user": sysadmin["name"]},
                    resource_id=res["id"])
        bad = rows()
        bad[0][0] = "5301"            # Phrae
        bad[1][1] = "2024"            # C.E.
        bad[2][3] = "-5"              # negative count
        bad[3][2] = "tpmap_livng"     # unknown indicator
        bad.append(list(bad[4]))      # duplicate
        call_action("datastore_delete", site(), resource_id=res["id"], force=True)
        call_action("datastore_create", site(), resource_id=res["id"], force=True,
                    fields=[{"id": h, "type": "text"} for h in HEADER],
                    records=[dict(zip(HEADER, r, strict=False)) for r in bad])
        token = factories.APIToken(user=sysadmin["name"])["token"]
        answer = app.post("/en/api/3/action/lampangpoverty_area_indicators_load",
                          json={"resource_id": res["id"]}, headers={"Authorization": token},
                          status=409).json["error"]
        assert answer["area_code"] == [
            "Row 2, column area_code: 5301 is not an area code of Lampang province"]
        assert answer["year"] == [
            "Row 3, column year: 2024 is a year in C.E.; write the year in B.E. (2567)"]
        assert "Row 4, column value: -5 is negative" in answer["value"][0]
        assert "did you mean tpmap_living_conditions" in answer["indicator"][0]
        assert "already given in row 6" in answer["indicator"][1]
        # the profile still shows the last good table
        shown = call_action("lampangpoverty_area_profile", id="5208")
        living = next(d for d in shown["dimensions"] if d["dimension"] == "living_conditions")
        assert [p["value"] for p in living["series"]] == [90, 80]
        status = call_action("lampangpoverty_area_indicators_show",
                             {"user": sysadmin["name"]}, resource_id=res["id"])
        assert status["status"] == "invalid" and status["error_count"] == 5

    def test_figures_of_a_dataset_that_goes_private_leave_the_profiles(self, make_record,
                                                                        sysadmin):
        res = load_table(make_record, rows())
        call_action("lampangpoverty_area_indicators_load", {"user": sysadmin["name"]},
                    resource_id=res["id"])
        call_action("package_patch", {"user": sysadmin["name"]}, id=res["package_id"],
                    private=True)
        assert call_action("lampangpoverty_area_profile", id="5208")["year"] is None

    def test_only_editors_load_or_read_a_tables_check(self, make_record):
        res = load_table(make_record, rows())
        stranger = factories.User()
        with pytest.raises(tk.NotAuthorized):
            call_action("lampangpoverty_area_indicators_load",
                        {"user": stranger["name"], "ignore_auth": False}, resource_id=res["id"])


@pytest.mark.usefixtures("clean_db", "clean_index", "clean_datastore")
class TestMatching:
    @pytest.fixture
    def setting(self, make_record, sysadmin):
        res = load_table(make_record, rows())
        call_action("lampangpoverty_area_indicators_load", {"user": sysadmin["name"]},
                    resource_id=res["id"])
        programme(make_record, "province-wide", ["52"], capacity=1000)
        programme(make_record, "thoen-tambon", ["520801"], capacity=30,
                  target_groups=["elderly"])
        programme(make_record, "thoen-closed", ["5208"], programme_status="closed")
        programme(make_record, "thoen-past", ["5208"],
                  close_date=(TODAY - datetime.timedelta(days=1)).isoformat())
        programme(make_record, "thoen-health", ["5208"], tpmap_dimensions=["health"])
        programme(make_record, "ngao-only", ["5205"])

    def test_programmes_ranked_open_first_closest_first_with_reasons(self, setting):
        found = call_action("lampangpoverty_programme_match", area_code="520801",
                            dimensions=["living_conditions"], open_only=False)
        names = [p["name"] for p in found["programmes"]]
        assert names[:2] == ["thoen-tambon", "province-wide"]
        assert "ngao-only" not in names and "thoen-health" not in names
        assert names.index("thoen-closed") > 1 and names.index("thoen-past") > 1
        first = found["programmes"][0]
        kinds = {r["kind"]: r for r in first["reasons"]}
        assert kinds["area"]["scope"] == "tambon"
        assert kinds["dimension"]["values"] == ["living_conditions"]
        assert kinds["open"]["until"]

    def test_need_supply_and_coverage_share_capacity_by_need(self, setting):
        found = call_action("lampangpoverty_programme_match", area_code="520801",
                            dimensions="living_conditions")
        need = found["needs"][0]
        # tambon 520801 has 60 of the province's 80 households in need: 3/4 of the
        # province-wide 1000, plus the tambon's own 30
        assert need["need"] == 60 and need["supply"] == pytest.approx(780)
        assert need["programmes"] == 2 and need["coverage"] == pytest.approx(13.0)
        thoen = call_action("lampangpoverty_programme_match", area_code="5208",
                            dimensions=["living_conditions"])["needs"][0]
        assert thoen["supply"] == pytest.approx(1030)  # the amphoe is the sum of its tambon

    def test_every_criterion_must_match(self, setting):
        found = call_action("lampangpoverty_programme_match", area_code="520801",
                            dimensions=["living_conditions"], target_groups=["elderly"])
        names = [p["name"] for p in found["programmes"]]
        # a programme for every group also serves older persons
        assert names == ["thoen-tambon", "province-wide"]
        assert found["needs"][1]["value"] == "elderly" and found["needs"][1]["need"] == 30

    @pytest.mark.parametrize("data,field", [
        ({"area_code": "5301"}, "area_code"),
        ({"area_code": "52; DROP"}, "area_code"),
        ({"dimensions": ["happiness"]}, "dimensions"),
        ({"target_groups": "elderly,aliens"}, "target_groups"),
        ({"limit": -1}, "limit"),
        ({"area": "5208"}, "area"),
    ])
    def test_bad_input_is_refused_naming_the_field(self, setting, data, field):
        with pytest.raises(tk.ValidationError) as e:
            call_action("lampangpoverty_programme_match", **data)
        assert field in e.value.error_dict

    def test_gaps_rank_the_widest_first(self, make_record, sysadmin):
        res = load_table(make_record, rows())
        call_action("lampangpoverty_area_indicators_load", {"user": sysadmin["name"]},
                    resource_id=res["id"])
        programme(make_record, "small", ["52"], capacity=8)
        gaps = call_action("lampangpoverty_area_gaps", level="tambon",
                           dimension="living_conditions")
        assert [(a["code"], a["need"], a["supply"], a["gap"]) for a in gaps["areas"]] == [
            ("520801", 60, 6.0, 54.0), ("520802", 20, 2.0, 18.0)]

    def test_profile_of_an_unknown_area_is_refused(self, setting):
        with pytest.raises(tk.ValidationError) as e:
            call_action("lampangpoverty_area_profile", id="5299")
        assert "5299" in str(e.value.error_dict["id"])
