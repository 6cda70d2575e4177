"""The stated rate limit: counted per client address in Redis, stated on every answer, and a
429 with Retry-After past it (CKAN's test client; a small limit of its own)."""
from __future__ import annotations

import random

import pytest


@pytest.mark.ckan_config("ckanext.lampangpoverty.api.rate_limit", "3/minute")
def test_past_the_limit_the_api_answers_429_with_retry_after(app):
    # an address of its own: a run a minute ago must not have used up this one's calls
    address = f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
    answers = [app.get("/api/3/action/status_show", environ_base={"REMOTE_ADDR": address},
                       headers={"Accept-Language": "en"})
               for _ in range(4)]
    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a.headers["X-RateLimit-Remaining"] for a in answers[:3]] == ["2", "1", "0"]
    assert all(a.headers["X-RateLimit-Limit"] == "3" for a in answers)
    refused = answers[3]
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    assert refused.json["error"]["__type"] == "Rate Limit Error"
    assert "3 per 1 minute" in refused.json["error"]["message"]
