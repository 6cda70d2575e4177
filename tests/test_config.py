"""Every option of ours has one default, in config_declaration.yaml: the code's dataclasses
that mirror options agree with it, every option the code reads is declared, and numeric
options are range-checked when CKAN starts."""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
import yaml

from ckan.common import config_declaration

from ckanext.lampangpoverty.disclosure import transform
from ckanext.lampangpoverty.harvesters import http

PACKAGE = Path(__file__).resolve().parent.parent / "ckanext-lampangpoverty" / "ckanext" / \
    "lampangpoverty"
PREFIX = "ckanext.lampangpoverty."


def declared() -> dict[str, dict]:
    with (PACKAGE / "config_declaration.yaml").open(encoding="utf-8") as f:
        groups = yaml.safe_load(f)["groups"]
    return {option["key"]: option for group in groups for option in group["options"]}


# Dataclasses whose fields mirror options: class -> option prefix (field = option's last part).
MIRRORS = {transform.Thresholds: PREFIX + "disclosure.", http.Policy: PREFIX + "harvest."}
# Fields of those dataclasses that are not options (with why).
NOT_OPTIONS = {
    "backoff",   # http.Policy: the first retry pause, a constant of the retry rule
    "verify",    # http.Policy: TLS verification, always on (a CA bundle only in tests)
}


@pytest.mark.parametrize("cls", list(MIRRORS), ids=lambda c: c.__name__)
def test_dataclass_defaults_are_the_declared_defaults(cls):
    options = declared()
    for field in dataclasses.fields(cls):
        if field.name in NOT_OPTIONS:
            continue
        key = MIRRORS[cls] + ("allowed_hosts" if field.name == "allowed" else field.name)
        assert key in options, f"{cls.__name__}.{field.name} mirrors no declared option"
        default = (field.default_factory() if field.default_factory is not dataclasses.MISSING
                   else field.default)
        assert default == options[key]["default"], (key, default, options[key]["default"])


def test_every_option_the_code_reads_is_declared_and_every_declared_one_is_read():
    options = declared()
    read = set()
    for path in PACKAGE.rglob("*.py"):
        code = path.read_text(encoding="utf-8")
        read |= set(re.findall(r'"(ckanext\.lampangpoverty\.[a-z_]+\.[a-z_]+)"', code))
        # Options read as prefix + "rest", with the prefix assigned in the same module.
        for prefix in re.findall(r'prefix = "(ckanext\.lampangpoverty\.[a-z_.]*)"', code):
            read |= {prefix + rest for rest in re.findall(r'prefix \+ "([a-z_.]+)"', code)}
    assert read - set(options) == set(), "read but not declared"
    assert set(options) - read == set(), "declared but never read"


@pytest.mark.parametrize("key,value", [
    ("ckanext.lampangpoverty.disclosure.max_risk", "0"),
    ("ckanext.lampangpoverty.disclosure.max_risk", "1.5"),
    ("ckanext.lampangpoverty.disclosure.global_risk", "-0.1"),
    ("ckanext.lampangpoverty.disclosure.household_risk", "2"),
    ("ckanext.lampangpoverty.disclosure.k", "1"),
    ("ckanext.lampangpoverty.harvest.max_withdraw_share", "0"),
    ("ckanext.lampangpoverty.harvest.max_bytes", "0"),
    ("ckanext.lampangpoverty.microdata.max_bytes", "-5"),
    ("ckanext.lampangpoverty.harvest.deadline", "0"),
])
def test_an_option_out_of_range_is_refused(key, value):
    from ckan.plugins import toolkit as tk

    config = dict(tk.config)
    config[key] = value
    _data, errors = config_declaration.validate(config)
    assert key in errors, errors


def test_the_declared_defaults_are_valid():
    from ckan.plugins import toolkit as tk

    _data, errors = config_declaration.validate(dict(tk.config))
    assert {k: v for k, v in errors.items() if k.startswith(PREFIX)} == {}
