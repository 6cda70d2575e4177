"""The editor's choices before the run: what the proposal job stores (per column the role,
recode and reason; the releases the gate can publish; what each level costs), choosing one
of those releases, and choices the gate refuses, each naming the field and the column."""
from __future__ import annotations

import io
import json

import pytest

import ckan.plugins.toolkit as tk
from ckan.lib import jobs
from ckan.tests import factories
from ckan.tests.helpers import call_action

from ckanext.lampangpoverty.disclosure import synthetic
from ckanext.lampangpoverty.model import Microdata

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "clean_queues",
                                     "with_test_worker")


@pytest.fixture(scope="module")
def raw():
    return synthetic.bmn(3000, seed=3000)


@pytest.fixture
def admin(clean_db, organization):
    user = factories.User()
    call_action("organization_member_create", id=organization["id"], username=user["name"],
                role="admin")
    return user


@pytest.fixture
def proposed(admin, make_record, raw):
    """A submission of the BMN table whose proposal job has run."""
    dataset = make_record(name="bmn-choices", unit_of_observation="person", private=True)
    result = call_action("lampangpoverty_microdata_upload",
                         {"user": admin["name"], "ignore_auth": False}, id=dataset["id"],
                         upload=_file(raw.to_csv(index=False).encode()))
    jobs.Worker(["default"]).work(burst=True)
    return call_action("lampangpoverty_microdata_show", {"user": admin["name"]},
                       microdata_id=result["id"])


def _file(body: bytes):
    from werkzeug.datastructures import FileStorage
    return FileStorage(io.BytesIO(body), "bmn.csv")


def update(admin, shown, **data):
    data.setdefault("roles", shown["roles"])
    return call_action("lampangpoverty_microdata_roles_update",
                       {"user": admin["name"], "ignore_auth": False},
                       microdata_id=shown["id"], **data)


def test_the_proposal_is_stored_before_the_run_and_names_no_raw_value(proposed, raw):
    assert proposed["status"] == "needs_roles"
    columns = proposed["proposed"]["columns"]
    assert set(columns) == set(raw.columns) and proposed["columns"] == list(raw.columns)
    household = columns["household_code"]
    assert (household["role"], household["reason"]) == ("direct_identifier", "key_area_code")
    assert household["alternatives"] == ["household_key"] and household["text"]
    assert columns["income_per_person"]["recode"] == {"method": "bands"}
    assert proposed["settings"]["household_column"] == "household_code"
    plan = proposed["proposed"]["plan"]
    assert 2 <= len(plan["alternatives"]) <= 3
    losses = [a["loss"] + 2 * len(a["erased"]) for a in plan["alternatives"]]
    assert losses[0] == min(losses)  # the best first
    for column, cost in plan["costs"].items():
        assert cost["chosen"] == plan["alternatives"][0]["levels"][column]
        assert cost["levels"][-1]["level"] == cost["chosen"]
    stored = json.dumps(proposed)
    for column in ("national_id", "phone", "household_code"):
        assert raw[column].iloc[0] not in stored


def test_picking_an_alternative_publishes_exactly_its_levels(admin, proposed):
    second = proposed["proposed"]["plan"]["alternatives"][1]
    update(admin, proposed, recodes=proposed["settings"]["recodes"], alternative=1)
    jobs.Worker(["default"]).work(burst=True)
    record = Microdata.get(proposed["id"])
    assert record.status == "passed", record.message
    assert {c: x["level"] for c, x in record.report["levels"].items()} == second["levels"]


@pytest.mark.parametrize("data,field,words", [
    ({"roles": {"age": "quasi"}}, "roles", ["quasi"]),
    ({"roles": {"อายุ": "quasi_identifier"}}, "roles", ["อายุ", "no such column"]),
    ({"recodes": {"age": {"method": "bands"}}}, "recodes", ["age", "bands",
                                                            "quasi_identifier"]),
    ({"recodes": {"age": {"method": "age", "level": "7-year bands"}}}, "recodes",
     ["age", "7-year bands", "10-year bands"]),
    ({"recodes": {"tambon": {"method": "area", "level": 9}}}, "recodes", ["tambon", "9"]),
    ({"recodes": {"income_per_person": {"method": "bands", "top": 140}}}, "recodes",
     ["income_per_person", "top", "140"]),
    ({"recodes": {"income_per_person": {"method": "bands", "bottom": 60, "top": 40}}},
     "recodes", ["income_per_person", "bottom"]),
    ({"recodes": {"income_per_person": {"method": "keep", "colour": "red"}}}, "recodes",
     ["income_per_person", "colour"]),
    ({"recodes": {"national_id": {"method": "keep"}}}, "recodes", ["national_id", "keep"]),
    ({"household_column": "hh"}, "household_column", ["hh"]),
    ({"alternative": 7}, "alternative", ["7"]),
])
def test_a_choice_the_gate_cannot_use_is_refused_naming_field_and_column(admin, proposed, data,
                                                                        field, words):
    roles = {**proposed["roles"], **data.pop("roles", {})}
    with pytest.raises(tk.ValidationError) as e:
        update(admin, proposed, roles=roles, **data)
    message = " ".join(map(str, e.value.error_dict[field]))
    for word in words:
        assert word in message, message
    assert Microdata.get(proposed["id"]).status == "needs_roles"  # nothing changed


def test_only_one_household_key(admin, proposed):
    roles = {**proposed["roles"], "household_code": "household_key",
             "address": "household_key"}
    with pytest.raises(tk.ValidationError) as e:
        update(admin, proposed, roles=roles)
    message = str(e.value.error_dict["roles"])
    assert "only one column" in message and "household_code" in message and "address" in message


def test_refusals_are_in_the_readers_language(app, admin, proposed):
    token = factories.APIToken(user=admin["name"])["token"]
    res = app.post("/th/api/3/action/lampangpoverty_microdata_roles_update",
                   headers={"Authorization": token},
                   json={"microdata_id": proposed["id"], "roles": proposed["roles"],
                         "recodes": {"age": {"method": "age", "level": "7-year bands"}}},
                   status=409)
    assert "ไม่ใช่ระดับของลำดับชั้น age" in str(res.json["error"]["recodes"])
