"""Finding 11 (headers), through real HTTP against a running CKAN: every response, pages,
the API, static files, errors and downloads, carries the Content-Security-Policy, refuses
framing by other sites, MIME sniffing and full referrers."""
from __future__ import annotations

import pytest
import requests

from .conftest import add_release, make_dataset


@pytest.mark.usefixtures("clean_index")
def test_every_response_carries_the_security_headers(live, people):
    pkg = make_dataset(people, "headers-public", private=False)
    release = add_release(pkg)
    urls = ["/", "/en/", "/dataset/", f"/dataset/{pkg['name']}", "/user/login",
            "/api/3/action/status_show", "/api/3/action/package_show?id=no-such",
            "/base/images/ckan-logo.png", "/no-such-page",
            f"/lampangpoverty/release/{release.id}/download",
            f"/lampangpoverty/dataset/{pkg['id']}/microdata/new", "/harvest/"]
    for url in urls:
        res = requests.get(f"{live.url}{url}", allow_redirects=False)
        csp = res.headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in csp and "script-src 'self'" in csp, url
        assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp, url
        assert "unsafe-eval" not in csp and "script-src 'self' 'unsafe-inline'" not in csp, url
        assert res.headers.get("X-Frame-Options") == "DENY", url
        assert res.headers.get("X-Content-Type-Options") == "nosniff", url
        assert res.headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", url
    # Images (map tiles, logos given as URLs) may come from outside, over https only.
    csp = requests.get(live.url).headers["Content-Security-Policy"]
    assert "img-src 'self' data: https:;" in csp
