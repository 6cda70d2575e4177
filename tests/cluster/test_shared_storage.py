"""One storage shared by every node: a household table uploaded through web node 1 is checked
by one of the cluster's background workers and its release is downloaded through web node 2
by someone allowed to (and refused to someone who is not)."""
from __future__ import annotations

import csv
import io

import requests

from ckanext.lampangpoverty.disclosure import synthetic


def test_a_table_uploaded_through_one_node_is_released_through_the_other(cluster):
    _, token = cluster.make_user("editor")
    _, outsider = cluster.make_user(None)
    dataset = cluster.private_person_dataset()
    web_1, web_2 = cluster.node("web-1"), cluster.node("web-2")

    people = synthetic.households(3000, seed=7)
    microdata_id = cluster.upload_table(web_1, token, dataset,
                                        people.to_csv(index=False).encode("utf-8"))
    state = cluster.wait_checked(web_2, token, microdata_id)
    assert state["status"] == "passed", state
    # A cluster worker (a process of its own, not a web node) ran the check.
    logs = [(cluster.cl.logs / f"{w}.log").read_text(errors="replace")
            for w in ("worker-1", "worker-2")]
    assert sum(microdata_id in log for log in logs) == 1

    resource = requests.get(f"{web_2}/api/3/action/resource_show",
                            params={"id": state["release_resource_id"]},
                            headers={"Authorization": token}, timeout=60).json()["result"]
    url = resource["url"].replace(cluster.url, web_2)
    assert url.startswith(web_2 + "/")
    res = requests.get(url, headers={"Authorization": token}, timeout=60)
    assert res.status_code == 200, res.text[:500]
    rows = list(csv.DictReader(io.StringIO(res.content.decode("utf-8-sig"))))
    assert len(rows) > 1000
    assert not set(synthetic.DIRECT) & set(rows[0])
    assert people["national_id"].iloc[0] not in res.text
    # Not a file any node serves to whoever asks: an outsider and an anonymous user are refused.
    for headers in ({"Authorization": outsider}, {}):
        refused = requests.get(url, headers=headers, timeout=60, allow_redirects=False)
        assert refused.status_code in (302, 403, 404), refused.status_code
