"""The ``lampangpoverty`` plugin: registrations and hooks only; the work lives in the
modules it names."""
from __future__ import annotations

from ckan.common import CKANConfig

import ckan.plugins as p
from ckan.lib.plugins import DefaultTranslation
import ckan.plugins.toolkit as tk


@tk.blanket.cli
@tk.blanket.config_declarations
@tk.blanket.helpers
@tk.blanket.validators
class LampangPovertyPlugin(p.SingletonPlugin, DefaultTranslation):
    p.implements(p.IConfigurer)
    p.implements(p.ITranslation)

    # IConfigurer
    def update_config(self, config: CKANConfig) -> None:
        tk.add_template_directory(config, "templates")
