"""Finding 9, with real parallel downloads against a running CKAN: an approval for one
download gives exactly one, however many are asked for at once."""
from __future__ import annotations

import datetime
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from ckan import model
from ckan.tests.helpers import call_action

from ckanext.lampangpoverty.lib.clock import utcnow
from ckanext.lampangpoverty.model import Download

from .conftest import add_release, make_dataset


@pytest.mark.usefixtures("clean_index")
@pytest.mark.parametrize("limit", [1, 3])
def test_parallel_downloads_stop_at_the_limit(live, people, limit):
    pkg = make_dataset(people, "licensed-race", private=False, access_level="licensed")
    release = add_release(pkg)
    request = call_action("lampangpoverty_access_request_create", people.context("registered"),
                          id=pkg["id"], purpose="วิจัย", institution="มช.")
    tomorrow = (utcnow().date() + datetime.timedelta(days=1)).isoformat()
    call_action("lampangpoverty_access_request_decide", people.context("admin"),
                request_id=request["id"], decision="approve", expires=tomorrow,
                max_downloads=limit)
    url = f"{live.url}/lampangpoverty/release/{release.id}/download"
    headers = {"Authorization": people.tokens["registered"]}
    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(lambda _: requests.get(url, headers=headers).status_code,
                                 range(10)))
    assert sorted(statuses) == [200] * limit + [403] * (10 - limit)
    model.Session.expire_all()
    assert model.Session.query(Download).filter_by(request_id=request["id"]).count() == limit
