"""Shared fixtures. The services are the real ones that `make test` starts (bin/stack up test):
PostgreSQL, Redis and Solr on loopback, configured in var/test/ckan.ini."""
from __future__ import annotations

import configparser
import copy
import hashlib
import importlib.machinery
import importlib.util
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import urlparse

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_stack():
    """bin/stack (a script without .py) as a module."""
    loader = importlib.machinery.SourceFileLoader("stack", str(ROOT / "bin" / "stack"))
    spec = importlib.util.spec_from_loader("stack", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


# Plugins with their own tables; CKAN's reset_db drops every table the first time it runs
# and re-creates only core's.
PLUGINS_WITH_MIGRATIONS = ("activity", "harvest", "lampangpoverty")


def fresh_site() -> None:
    """An empty test database and index with every plugin's tables and the controlled
    vocabularies, for session- or package-scoped fixtures (which run before the per-test
    plugin loading, so the plugins are loaded here)."""
    from ckan import model, plugins
    from ckan.cli.db import _run_migrations
    from ckan.lib import search

    from ckanext.lampangpoverty.catalogue import vocabulary

    plugins.load_all()
    model.repo.rebuild_db()
    for plugin in PLUGINS_WITH_MIGRATIONS:
        _run_migrations(plugin)
    search.clear_all()
    vocabulary.seed()


@pytest.hookimpl(tryfirst=True)
def pytest_sessionstart(session):
    """Stop at once, with the fix, when the test services are not running."""
    ini = session.config.getoption("ckan_ini", None)
    if not ini:
        return
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.read(ini)
    for key in ("sqlalchemy.url", "solr_url", "ckan.redis.url"):
        url = urlparse(parser.get("app:main", key, fallback=""))
        if not url.hostname:
            continue
        with socket.socket() as s:
            s.settimeout(2)
            if s.connect_ex((url.hostname, url.port or 80)) != 0:
                pytest.exit(f"{key} ({url.hostname}:{url.port}) does not answer: start the test "
                            "services with `make test` (or `python3 bin/stack up test`)",
                            returncode=3)


class _Loaded:
    """The plugins as last loaded: for which configuration, and the configuration and the
    test application that loading them left."""
    key: str | None = None
    plugins: tuple[str, ...] = ()
    config: ClassVar[dict[str, Any]] = {}
    apps: ClassVar[dict[str, Any]] = {}


def _config_key(config: Mapping[str, Any]) -> str:
    """A fingerprint of the options with plain values (objects that loading the plugins puts
    into the configuration have no stable value to compare). Lists count as sets:
    ckanext-spatial appends its query parser to a list option on every load."""
    plain = (str, int, float, bool, type(None))
    items = sorted((key, repr(sorted({repr(v) for v in value}))
                    if isinstance(value, list | tuple) else repr(value))
                   for key, value in config.items()
                   if isinstance(value, (*plain, list, tuple)) and key != "testing")
    return hashlib.sha1(repr(items).encode()).hexdigest()


@pytest.fixture(autouse=True)
def _plugins(ckan_config):
    """Every test runs with the plugins of config/ckan.ini loaded, as the platform does.

    CKAN's ``with_plugins`` loads and unloads them around every test, and ``app`` loads them
    once more: each time every plugin's ``update_config`` runs (config declarations, scheming
    schemas, entry points: seconds per test). Here they are loaded again only when the
    configuration differs from the one they were loaded with (a ``ckan_config`` mark) or
    something unloaded them; otherwise the configuration they left is put back."""
    from ckan.plugins import core

    key = _config_key(ckan_config)
    if key != _Loaded.key or tuple(core._PLUGINS) != _Loaded.plugins:
        core.load_all()
        _Loaded.key, _Loaded.plugins = key, tuple(core._PLUGINS)
        _Loaded.config = copy.deepcopy(dict(ckan_config))
        _Loaded.apps.clear()
    else:
        ckan_config.clear()
        ckan_config.update(copy.deepcopy(_Loaded.config))


@pytest.fixture
def make_app(ckan_config, _plugins):
    """CKAN's ``make_app``, with the application built once per configuration (building it
    loads every plugin again). Each test gets a new client around it (no cookie carried over)
    and the site's settings read again, as a new application does; a configuration changed
    before the application is asked for gets an application of its own."""
    from ckan.config.middleware import make_app as build
    from ckan.lib import app_globals
    from ckan.plugins import core
    from ckan.tests.helpers import CKANTestApp

    app_globals._CONFIG_CACHE.clear()

    def make() -> Any:
        key = _config_key(ckan_config)
        if key not in _Loaded.apps:
            ckan_config["testing"] = True
            app = build(ckan_config)
            # Building loaded the plugins again, with this configuration.
            if key != _config_key(_Loaded.config):
                _Loaded.key = None
            _Loaded.plugins = tuple(core._PLUGINS)
            _Loaded.apps[key] = app
        else:
            ckan_config["testing"] = True
            app_globals.reset()
        return CKANTestApp(_Loaded.apps[key])
    return make


@pytest.fixture(autouse=True)
def _loggers_enabled():
    """Every test starts with the platform's logging on. A migration environment's
    logging.config.fileConfig disables every existing logger; CKAN's ``cli`` fixture runs
    commands in-process, so a command that migrates would leave later tests without the
    logging the platform has (ckanext-harvest's database log included)."""
    import logging

    for logger in logging.root.manager.loggerDict.values():
        if isinstance(logger, logging.Logger):
            logger.disabled = False


@pytest.fixture
def clean_db(reset_db, migrate_db_for):
    """CKAN's clean_db, plus the tables of the plugins we run with and the controlled
    vocabularies, which the platform always has."""
    import logging

    from ckanext.lampangpoverty.catalogue import vocabulary

    # ckanext-harvest's migration environment runs logging.config.fileConfig, which disables
    # every logger that exists: run in-process here, it would leave the tests without the
    # logging the platform has (ckanext-harvest's database log included), unlike `ckan db
    # upgrade`, which runs in a process of its own.
    enabled = [logger for logger in logging.root.manager.loggerDict.values()
               if isinstance(logger, logging.Logger) and not logger.disabled]
    reset_db()
    for plugin in PLUGINS_WITH_MIGRATIONS:
        migrate_db_for(plugin)
    for logger in enabled:
        logger.disabled = False
    vocabulary.seed()


# Valid values for every required field of each type; tests override what they examine.
REQUIRED = {
    "poverty-dataset": {
        "notes": "ข้อมูลทดสอบ", "poverty_source": "bmn", "data_type": "ข้อมูลสถิติ",
        "unit_of_observation": "tambon", "reference_period_start": "2025-01-01",
        "area_codes": ["5208"], "access_level": "public",
    },
    "agency-resource": {
        "notes": "บริการทดสอบ", "programme_kind": "housing_repair",
        "eligibility": "ครัวเรือนยากจนเป้าหมาย", "area_codes": ["5201"],
        "programme_status": "open",
    },
    "policy-proposal": {
        "notes": "ข้อเสนอทดสอบ", "proposal_status": "draft",
    },
}


@pytest.fixture
def make_record(organization):
    """Create a record of a catalogue type through package_create, with valid required
    fields; keyword arguments override them."""
    from ckan.tests import factories

    def make(dataset_type: str = "poverty-dataset", **fields):
        data = {"owner_org": organization["id"], **REQUIRED[dataset_type], **fields}
        if dataset_type == "policy-proposal":
            data.setdefault("issuing_agencies", [organization["name"]])
        return factories.Dataset(type=dataset_type, **data)
    return make


@pytest.fixture
def organization(clean_db):
    from ckan.tests import factories

    return factories.Organization(sector="government")


@pytest.fixture
def sysadmin_context(clean_db):
    from ckan.tests import factories

    user = factories.Sysadmin()
    return {"user": user["name"], "ignore_auth": False}


def passed_release(package_id: str, created_by: str):
    """A release the disclosure gate passed, stored as its job leaves it (summary and
    thresholds), for tests of the pages that show one; the release file is the caller's."""
    from ckan import model

    from ckanext.lampangpoverty.model import Microdata

    release = Microdata(package_id=package_id, filename="survey.csv", stored_path="-", size=0,
                        status="passed", created_by=created_by,
                        summary={"passed": True, "records": 40, "k_anonymity": 5,
                                 "max_individual_risk": 0.1, "global_risk": 0.01,
                                 "cells_suppressed_share": 0.02,
                                 "thresholds": {"k": 5, "l": 2, "max_risk": 0.2,
                                                "global_risk": 0.03}})
    model.Session.add(release)
    model.Session.commit()
    return release
