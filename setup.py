"""ckanext-lampangpoverty: the Lampang Poverty Open Data Platform's CKAN extension."""
from setuptools import find_packages, setup

setup(
    name="ckanext-lampangpoverty",
    version="0.1.0",
    description="CKAN 2.12 extension for the Lampang precise-poverty-alleviation data platform",
    license="AGPL-3.0-or-later",
    python_requires=">=3.10",
    package_dir={
        "": "ckanext-lampangpoverty",
        # scheming loads "ckanext.lampangpoverty.schemas:<file>.yaml"; the files live in
        # the top-level schemas/ folder.
        "ckanext.lampangpoverty.schemas": "schemas",
    },
    # Every package of the extension (a new folder with an __init__.py is found by itself),
    # and schemas/ installed as ckanext.lampangpoverty.schemas.
    packages=[*find_packages("ckanext-lampangpoverty"), "ckanext.lampangpoverty.schemas"],
    namespace_packages=["ckanext"],
    include_package_data=True,
    package_data={
        "ckanext.lampangpoverty": [
            "config_declaration.yaml",
            "api/openapi.json",
            "demo/*.yaml",
            "data/*.geojson",
            "data/*.md",
            "templates/**/*.html",
            "assets/webassets.yml",
            "assets/js/*.js",
            "assets/css/*.css",
            "assets/vendor/*.md",
            "assets/vendor/*/*",
            "i18n/*/LC_MESSAGES/*.po",
            "i18n/*/LC_MESSAGES/*.mo",
            "migration/lampangpoverty/*.ini",
            "migration/lampangpoverty/*.py",
            "migration/lampangpoverty/*.mako",
            "migration/lampangpoverty/versions/*.py",
        ],
        "ckanext.lampangpoverty.schemas": ["*.yaml", "*.json"],
    },
    entry_points={
        "ckan.plugins": [
            "lampangpoverty = ckanext.lampangpoverty.plugin:LampangPovertyPlugin",
            "lampangpoverty_ckan = ckanext.lampangpoverty.harvesters.ckan:CkanHarvester",
            "lampangpoverty_table = ckanext.lampangpoverty.harvesters.table:TableHarvester",
            "lampangpoverty_dcat = ckanext.lampangpoverty.harvesters.dcat:DcatHarvester",
        ],
        "ckan.rdf.profiles": [
            "lampangpoverty_dcat_ap_3 = ckanext.lampangpoverty.catalogue.profiles:LampangPovertyDCATAP3Profile",
            "lampangpoverty_schemaorg = ckanext.lampangpoverty.catalogue.profiles:LampangPovertySchemaOrgProfile",
        ],
        "babel.extractors": [
            "ckan = ckan.lib.extract:extract_ckan",
        ],
    },
    message_extractors={
        "ckanext-lampangpoverty/ckanext": [
            ("**.py", "python", None),
            ("**/templates/**.html", "ckan", None),
        ],
    },
)
