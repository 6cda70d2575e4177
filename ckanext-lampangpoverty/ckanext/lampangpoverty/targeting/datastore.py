"""What may enter the DataStore, and what it may show.

ckanext-xloader loads a resource's table by downloading its URL in the background worker; for
an uploaded file it sends its own API token (a sysadmin's) with the request. So a resource is
loaded only when all of this holds (``refusal`` returns None):

- the dataset is active, public (not private) and, for a poverty dataset, its access level is
  ``public``: a release for registered users or licensed researchers, or anything of a private
  dataset, never becomes a public DataStore table;
- the URL is an upload of this resource (served by CKAN from its storage, scanned by the
  upload guard), the access-checked release route of this dataset's own passing release
  (fetched anonymously: xloader sends its token for uploads only), or an outside address.
  Any other page of this portal, and any loopback, private or link-local address (Solr,
  Redis, the database's neighbours) is refused, unless
  ``ckanext.lampangpoverty.datastore.allowed_hosts`` names it.

The gate's private storage is never a resource, so raw household tables cannot be named.
Reading is guarded too (``read_refusal``, used by chained DataStore auth functions): a table
of a dataset whose access level is not public is read only by its organisation's members,
whatever was loaded before the level changed; such tables are also deleted in the background.
"""
from __future__ import annotations

import logging
import re
from urllib.parse import urlsplit

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context

from ..catalogue.types import POVERTY_DATASET
from ..gate import access
from ..harvesters import http
from ..lib.permissions import is_owner_member
from ..lib.site import site_user
from ..model import Microdata, MicrodataStatus

log = logging.getLogger(__name__)

RELEASE_PATH = re.compile(r"/lampangpoverty/release/(?P<id>[^/?#]+)/download/?")
ALLOWED_HOSTS = "ckanext.lampangpoverty.datastore.allowed_hosts"


def _resource(resource_id: str) -> tuple[model.Resource | None, model.Package | None]:
    res = model.Resource.get(resource_id) if resource_id else None
    if res is None or res.state != "active":
        return None, None
    return res, res.package


def dataset_refusal(pkg: model.Package | None) -> str | None:
    """Why no table of this dataset may be in the DataStore now (None: they may)."""
    if pkg is None or pkg.state != "active":
        return tk._("the dataset does not exist or was deleted")
    if pkg.private:
        return tk._("the dataset is private")
    if pkg.type == POVERTY_DATASET and access.access_level(pkg) != "public":
        return tk._("the dataset's access level is not public")
    return None


def _own_hosts() -> set[str]:
    urls = (tk.config["ckan.site_url"], tk.config.get("ckanext.xloader.site_url") or "")
    return {urlsplit(u).netloc.lower() for u in urls if u}


def url_refusal(res: model.Resource, pkg: model.Package) -> str | None:
    """Why xloader must not fetch this resource's URL (None: it may)."""
    if res.url_type == "upload":
        return None
    url = (res.url or "").strip()
    parts = urlsplit(url)
    if parts.netloc.lower() in _own_hosts():
        match = RELEASE_PATH.fullmatch(parts.path)
        release = Microdata.get(match.group("id")) if match else None
        if (release is not None and release.package_id == pkg.id
                and release.status == MicrodataStatus.PASSED):
            return None
        return tk._("the URL is a page of this portal, not this dataset's release or upload")
    try:
        http.Policy(allowed=tk.config[ALLOWED_HOSTS]).check(url, option=ALLOWED_HOSTS)
    except http.FetchError as e:
        return e.reason
    return None


def refusal(resource_id: str) -> str | None:
    """Why this resource may not be loaded into the DataStore now (None: it may)."""
    res, pkg = _resource(resource_id)
    if res is None or pkg is None:
        return tk._("the resource does not exist or was deleted")
    return dataset_refusal(pkg) or url_refusal(res, pkg)


def read_refusal(user: str | None, resource_id: str | None) -> str | None:
    """Why ``user`` may not read this resource's DataStore table (None: CKAN's own
    resource_show check decides). Fails closed for a dataset that stopped being public."""
    res, pkg = _resource(resource_id or "")
    if res is None or pkg is None:
        return None  # no such resource: CKAN answers "not found" itself
    if dataset_refusal(pkg) is None or is_owner_member(user, pkg):
        return None
    return tk._("This table is not public: its dataset's access level is restricted")


def xloader_format(res: model.Resource) -> bool:
    from ckanext.xloader.utils import XLoaderFormats

    return bool(XLoaderFormats.is_it_an_xloader_format(res.format or ""))


def in_datastore(resource_id: str) -> bool:
    from ckanext.datastore.backend import DatastoreBackend

    return bool(DatastoreBackend.get_active_backend().resource_exists(resource_id))


def submit(resource_id: str) -> bool:
    """Hand a resource to xloader (which asks ``refusal`` again through IXloader)."""
    try:
        return bool(tk.get_action("xloader_submit")(
            {"ignore_auth": True, "user": site_user()}, {"resource_id": resource_id}))
    except tk.ValidationError as e:
        # xloader without its API token (the test configuration) or a bad id: not loaded.
        log.warning("resource %s not submitted to xloader: %s", resource_id, e.error_dict)
        return False


def _never_submitted(resource_id: str) -> bool:
    """xloader keeps a task for every table it accepted; one it refused (its dataset was
    private, say) has none."""
    return (model.Session.query(model.TaskStatus)
            .filter(model.TaskStatus.entity_id == resource_id,
                    model.TaskStatus.task_type == "xloader").first()) is None


def sync_dataset(package_id: str) -> None:
    """After a dataset changed: its tables that may now be loaded and were never handed to
    xloader (refused while the dataset was private, say) are handed over; the DataStore
    tables of those that may not be loaded any more are deleted in the background."""
    pkg = model.Package.get(package_id)
    if pkg is None:
        return
    refused = dataset_refusal(pkg)
    stale = []
    for res in pkg.resources:
        if res.state != "active":
            continue
        loaded = res.extras.get("datastore_active") in (True, "true", "True")
        if refused is not None:
            if loaded:
                stale.append(res.id)
        elif (not loaded and xloader_format(res) and _never_submitted(res.id)
              and url_refusal(res, pkg) is None):
            submit(res.id)
    if stale:
        tk.enqueue_job(purge, [stale], title=f"DataStore purge of {pkg.name}")


def purge(resource_ids: list[str]) -> None:
    """Background job: delete the DataStore tables of resources that stopped being public."""
    context: Context = {"ignore_auth": True, "user": site_user()}
    for resource_id in resource_ids:
        if not in_datastore(resource_id):
            continue
        try:
            tk.get_action("datastore_delete")(context.copy(),
                                              {"resource_id": resource_id, "force": True})
            log.info("DataStore table of resource %s deleted: no longer public", resource_id)
        except tk.ObjectNotFound:
            continue


def submit_missing() -> dict[str, int]:
    """Hand xloader every table that may be loaded and is not in the DataStore yet."""
    counts = {"submitted": 0, "refused": 0, "loaded": 0}
    resources = (model.Session.query(model.Resource).join(model.Package)
                 .filter(model.Resource.state == "active", model.Package.state == "active",
                         model.Package.private.is_(False)))
    for res in resources:
        if not xloader_format(res):
            continue
        if in_datastore(res.id):
            counts["loaded"] += 1
        elif refusal(res.id) is not None:
            counts["refused"] += 1
        elif submit(res.id):
            counts["submitted"] += 1
    return counts
