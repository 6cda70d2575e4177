"""Demo content for ``ckan lampangpoverty seed-demo``: loaded through the action API, so it
passes the same validation as anything a partner publishes, and only what is missing is
created (a re-run changes nothing)."""
from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import yaml

import ckan.plugins.toolkit as tk
from ckan.types import Context

from ..catalogue import vocabulary
from ..lib.site import site_user
from . import files, indicators, programmes

CONTENT = Path(__file__).with_name("content.yaml")

Progress = Callable[[Iterable[Any], str], AbstractContextManager[Iterable[Any]]]


def load_content() -> dict[str, list[dict[str, Any]]]:
    with CONTENT.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def _exists(action: str, name: str) -> bool:
    try:
        tk.get_action(action)({"ignore_auth": True}, {"id": name})
    except tk.ObjectNotFound:
        return False
    return True


def seed(progress: Progress) -> dict[str, int]:
    """Create the vocabularies, demo organisations and datasets that do not exist yet."""
    vocabulary.seed()
    user = site_user()
    content = load_content()
    counts = {"created": 0, "unchanged": 0}

    def context() -> Context:
        return {"user": user, "ignore_auth": True}

    with progress(content["organizations"], "organisations") as orgs:
        for org in orgs:
            if _exists("organization_show", org["name"]):
                counts["unchanged"] += 1
                continue
            tk.get_action("organization_create")(context(), dict(org))
            counts["created"] += 1

    # This fiscal year's programmes, so that the demo has programmes open now.
    with progress(content["datasets"] + programmes.datasets(), "datasets") as datasets:
        for dataset in datasets:
            if _exists("package_show", dataset["name"]):
                counts["unchanged"] += 1
                continue
            data = dict(dataset)
            data["tags"] = [t if isinstance(t, dict) else {"name": t}
                            for t in data.get("tags", [])]
            resources = files.with_uploads(data)
            data["resources"] = []
            pkg = tk.get_action("package_create")(context(), data)
            # package_create stores no uploads (package_update does): the files follow
            if resources:
                pkg = tk.get_action("package_patch")(context(), {"id": pkg["id"],
                                                                 "resources": resources})
                tk.get_action("package_create_default_resource_views")(
                    context(), {"package": pkg})
            counts["created"] += 1
    # Area indicators for the province, its amphoe and tambon, loaded into the profiles.
    counts["created" if indicators.seed(context()) else "unchanged"] += 1
    return counts

