"""The ``lampangpoverty`` plugin: registrations and hooks only; the work lives in the
modules it names."""
from __future__ import annotations

import logging
from collections import OrderedDict
from typing import Any

from flask import Flask, Response

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.common import CKANConfig
from ckan.lib.plugins import DefaultTranslation
from ckan.types import Context
from ckanext.xloader.interfaces import IXloader

from .api import feeds
from .api import http as api_http
from .catalogue import assets, search, solr_session
from .disclosure import table
from .gate import guard
from .harvesters import harvestlog, schedule
from .logic import show_schema
from .quality import jobs as quality_jobs
from .quality import state as quality_state
from .security import csrf, errors, headers, labels, registry, throttle
from .targeting import datastore, loading, programmes

log = logging.getLogger(__name__)


@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.blueprints
@tk.blanket.cli
@tk.blanket.config_declarations
@tk.blanket.helpers
@tk.blanket.validators
class LampangPovertyPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IAuthenticator, inherit=True)
    p.implements(p.IConfigurer)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IMiddleware, inherit=True)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IPermissionLabels)
    p.implements(p.IUploader, inherit=True)
    p.implements(p.ITranslation)
    p.implements(IXloader, inherit=True)

    # IAuthenticator
    def login(self) -> Response | None:
        return throttle.refuse_if_locked()

    # IConfigurer
    def update_config(self, config: CKANConfig) -> None:
        tk.add_template_directory(config, "templates")
        tk.add_resource("assets", "lampangpoverty")
        # The disclosure engine knows no CKAN: give its messages CKAN's gettext.
        table.set_translator(tk._)
        # Harvest sources may run hourly (ckanext-harvest stops at daily).
        schedule.add_hourly()
        # ckanext-harvest's database log must not commit the work it logs.
        harvestlog.write_apart()
        # Validation and link checks start once the change that asks for them is committed.
        quality_jobs.install()
        registry.isolate_harvest_registries()
        feeds.install()
        # package_show and indexing throw a show validation's errors away: spare their cost.
        show_schema.install()

    # IFacets
    def dataset_facets(self, facets_dict: OrderedDict[str, Any],
                       package_type: str) -> OrderedDict[str, Any]:
        titles = search.facet_titles()
        if package_type != "dataset":
            titles.pop("dataset_type")
        return OrderedDict(titles)

    def organization_facets(self, facets_dict: OrderedDict[str, Any], organization_type: str,
                            package_type: str | None) -> OrderedDict[str, Any]:
        titles = search.facet_titles()
        for own in ("organization", "vocab_sector"):
            titles.pop(own)
        return OrderedDict(titles)

    # IMiddleware
    def make_middleware(self, app: Any, config: CKANConfig) -> Any:
        if not isinstance(app, Flask):  # we are first in ckan.plugins: CKAN's own app
            raise RuntimeError("lampangpoverty must be the first plugin of ckan.plugins")
        csrf.install(app)
        headers.install(app)
        api_http.install(app)
        errors.install(app)
        throttle.connect()
        # Work a page repeats with the same answer, done once per worker (issue 16).
        assets.install()
        solr_session.install()
        return app

    # IPackageController
    def after_dataset_create(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        quality_state.sync(pkg_dict["id"], quality_state.being_harvested(pkg_dict["id"]))

    def after_dataset_update(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        quality_state.sync(pkg_dict["id"], quality_state.being_harvested(pkg_dict["id"]))
        datastore.sync_dataset(pkg_dict["id"])

    def after_dataset_show(self, context: Context, pkg_dict: dict[str, Any]) -> None:
        # Stored by the hooks above and the daily pass: nothing is computed for a page view.
        pkg_dict["quality"] = quality_state.show(pkg_dict["id"])

    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return programmes.index_fields(search.index_fields(pkg_dict))

    def after_dataset_search(self, search_results: dict[str, Any],
                             search_params: dict[str, Any]) -> dict[str, Any]:
        return search.label_facets(search_results)

    # IPermissionLabels
    def get_dataset_labels(self, dataset_obj: model.Package) -> list[str]:
        return labels.dataset_labels(dataset_obj)

    def get_user_dataset_labels(self, user_obj: model.User) -> list[str]:
        return labels.user_labels(user_obj)

    # IUploader: CKAN asks for a resource's uploader wherever a resource file can arrive
    # (resource_create/update, and resources inside package_create/update/patch), so the
    # guard sees every file before it is stored; CKAN's own uploader then stores it.
    def get_resource_uploader(self, data_dict: dict[str, Any]) -> None:
        guard.check_resource(data_dict)
        return None

    def get_uploader(self, upload_to: str, old_filename: str | None) -> None:
        return None

    # IXloader
    def can_upload(self, resource_id: str) -> bool:
        why = datastore.refusal(resource_id)
        if why:
            log.info("resource %s not loaded into the DataStore: %s", resource_id, why)
        return why is None

    def after_upload(self, context: Context, resource_dict: dict[str, Any],
                     dataset_dict: dict[str, Any]) -> None:
        loading.after_datastore_load(resource_dict, dataset_dict)
