"""Finding 5: a dataset of any other type than the three of the catalogue (and harvest
sources) is refused with a 409 naming ``type``, by package_create and package_update, and
the home page, organisation pages and search keep working."""
from __future__ import annotations

import json

import pytest

from ckan import model
from ckan.tests import factories


@pytest.mark.usefixtures("clean_db", "clean_index")
@pytest.mark.parametrize("dataset_type", ["zzz", "Harvest", "dataset", "", "POVERTY-DATASET",
                                          "poverty-dataset ", ["poverty-dataset"]])
def test_an_unknown_type_is_a_409_naming_the_field(app, organization, dataset_type):
    admin = factories.Sysadmin()
    token = factories.APIToken(user=admin["name"])["token"]
    headers = {"Authorization": token}
    res = app.post("/api/3/action/package_create", headers=headers,
                   json={"name": "odd-type", "type": dataset_type,
                         "owner_org": organization["id"]})
    assert res.status_code == 409
    assert "type" in json.loads(res.body)["error"]
    assert model.Package.get("odd-type") is None

    good = factories.Dataset(type="agency-resource", owner_org=organization["id"],
                             name="good-one", **_required("agency-resource"))
    res = app.post("/api/3/action/package_patch", headers=headers,
                   json={"id": good["id"], "type": dataset_type})
    assert res.status_code == 409 and "type" in json.loads(res.body)["error"]
    assert model.Package.get("good-one").type == "agency-resource"

    for page in ("/", "/dataset/", f"/organization/{organization['name']}",
                 "/agency-resource/", "/en/dataset/?q=odd"):
        assert app.get(page).status_code == 200, page


def _required(dataset_type: str) -> dict:
    from tests.conftest import REQUIRED

    return REQUIRED[dataset_type]
