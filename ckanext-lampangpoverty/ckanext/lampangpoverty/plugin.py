"""The ``lampangpoverty`` plugin: registrations and hooks only; the work lives in the
modules it names."""
from __future__ import annotations

from collections import OrderedDict
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan.common import CKANConfig
from ckan.lib.plugins import DefaultTranslation
from ckan.types import Context

from .catalogue import search
from .disclosure import table
from .gate import guard
from .harvesters import harvestlog, schedule


@tk.blanket.actions
@tk.blanket.auth_functions
@tk.blanket.blueprints
@tk.blanket.cli
@tk.blanket.config_declarations
@tk.blanket.helpers
@tk.blanket.validators
class LampangPovertyPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.IFacets, inherit=True)
    p.implements(p.IPackageController, inherit=True)
    p.implements(p.IResourceController, inherit=True)
    p.implements(p.ITranslation)

    # IConfigurer
    def update_config(self, config: CKANConfig) -> None:
        tk.add_template_directory(config, "templates")
        # The disclosure engine knows no CKAN: give its messages CKAN's gettext.
        table.set_translator(tk._)
        # Harvest sources may run hourly (ckanext-harvest stops at daily).
        schedule.add_hourly()
        # ckanext-harvest's database log must not commit the work it logs.
        harvestlog.write_apart()

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

    # IPackageController
    def before_dataset_index(self, pkg_dict: dict[str, Any]) -> dict[str, Any]:
        return search.index_fields(pkg_dict)

    def after_dataset_search(self, search_results: dict[str, Any],
                             search_params: dict[str, Any]) -> dict[str, Any]:
        return search.label_facets(search_results)

    # IResourceController
    def before_resource_create(self, context: Context, resource: dict[str, Any]) -> None:
        guard.check_upload(resource)

    def before_resource_update(self, context: Context, current: dict[str, Any],
                               resource: dict[str, Any]) -> None:
        guard.check_upload(resource)
