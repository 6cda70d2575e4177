"""Thai first: every translatable string of the extension has a Thai translation, and the
compiled catalogue is what CKAN serves."""
from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

from ckan.tests import factories

from .conftest import REQUIRED

I18N = (Path(__file__).resolve().parent.parent
        / "ckanext-lampangpoverty" / "ckanext" / "lampangpoverty" / "i18n")
PO = I18N / "th" / "LC_MESSAGES" / "ckanext-lampangpoverty.po"


def test_every_string_in_the_template_is_translated_to_thai():
    template = {e.msgid for e in polib.pofile(str(I18N / "ckanext-lampangpoverty.pot"))}
    thai = polib.pofile(str(PO))
    translated = {e.msgid for e in thai.translated_entries()}
    assert template, "no translatable strings extracted"
    assert template - translated == set()
    assert thai.fuzzy_entries() == []


def test_compiled_catalogue_matches_the_po_file():
    mo = polib.mofile(str(PO.with_suffix(".mo")))
    po = polib.pofile(str(PO))
    assert {e.msgid: e.msgstr for e in mo} == {e.msgid: e.msgstr for e in po.translated_entries()}


@pytest.mark.usefixtures("clean_db", "clean_index")
def test_validation_errors_are_in_thai_for_a_thai_request(app, organization):
    sysadmin = factories.Sysadmin()
    token = factories.APIToken(user=sysadmin["name"])["token"]
    res = app.post("/th/api/3/action/package_create", headers={"Authorization": token},
                   json={**REQUIRED["poverty-dataset"], "type": "poverty-dataset",
                         "name": "x-tags", "title": "x",
                         "owner_org": organization["id"], "tags": [{"name": "<b>"}]},
                   status=409)
    assert "มีได้เฉพาะตัวอักษร" in str(res.json["error"]["tags"])


def test_thai_translations_keep_every_placeholder_of_their_message():
    for entry in polib.pofile(str(PO)).translated_entries():
        assert sorted(re.findall(r"%\(\w+\)s", entry.msgid)) == \
            sorted(re.findall(r"%\(\w+\)s", entry.msgstr)), entry.msgid


def test_every_message_id_the_disclosure_engine_shows_is_in_the_catalogue():
    """Messages kept in tables (reasons, level, role, method, measure and key names) are
    extracted like the others: nothing the gate shows stays in English."""
    from ckanext.lampangpoverty.disclosure import checks, detect, hierarchy, propose, roles

    template = {e.msgid for e in polib.pofile(str(I18N / "ckanext-lampangpoverty.pot"))}
    shown = {*propose.REASONS.values(), *roles.LABELS.values(), *roles.HELP.values(),
             *roles.METHOD_LABELS.values(), *roles.METHOD_HELP.values(),
             *checks.MEASURES.values(), *checks.KEY_REASONS.values(),
             *detect.KIND_LABELS.values(), hierarchy.SUPPRESSED_LEVEL, hierarchy.OTHER,
             *(level for levels in hierarchy.LEVELS.values() for level in levels)}
    assert shown - template == set()


GETTEXT = {"_", "gettext", "ngettext", "N_", "lazy_gettext"}


def test_no_message_is_marked_inside_an_f_string():
    """Babel's extraction does not look inside f-strings: a message marked there is never
    in the catalogue and stays English on Thai pages (it happened with the APA citation's
    "[Data set]")."""
    import ast

    found = []
    for path in sorted((I18N.parent).rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.JoinedStr):
                continue
            for call in ast.walk(node):
                if isinstance(call, ast.Call):
                    name = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
                    if name in GETTEXT:
                        found.append(f"{path.relative_to(I18N.parent)}:{call.lineno}")
    assert found == []
