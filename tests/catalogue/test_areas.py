"""The Lampang area vocabulary built from geothai: codes, old codes, names and choices.
No database or CKAN service is needed."""
from __future__ import annotations

import pytest

from ckanext.lampangpoverty.catalogue import areas as a


@pytest.fixture(autouse=True)
def _plugins():
    """Replaces the conftest fixture that loads CKAN's plugins: these tests need none."""


def test_province_13_amphoe_and_100_tambon_in_code_order():
    found = a.areas()
    levels = [area.level for area in found.values()]
    assert found["52"] == a.Area("52", "province", "ลำปาง", "Lampang", None, False)
    assert [c for c, area in found.items() if area.level == "amphoe"] == [
        f"52{n:02d}" for n in range(1, 14)]
    assert levels.count("province") == 1
    assert levels.count("tambon") == 100
    assert list(found) == sorted(found)
    assert all(area.parent == area.code[:-2] for area in found.values() if area.parent)


def test_pilot_districts_and_their_tambon_are_flagged():
    found = a.areas()
    assert a.PILOT_DISTRICTS == ("5201", "5205", "5208", "5210", "5213")
    assert tuple(c for c, area in found.items() if area.level == "amphoe" and area.pilot) \
        == a.PILOT_DISTRICTS
    assert found["520805"].pilot  # Wiang Mok, Thoen
    assert not found["5212"].pilot and not found["521205"].pilot
    assert not found["52"].pilot


def test_a_current_tambon_resolves_to_itself_with_its_amphoe():
    assert a.resolve("521205") == "521205"
    assert a.resolve("  521205\n") == "521205"
    assert a.amphoe_of("521205") == "5212"
    assert a.amphoe_of("5212") == "5212"
    assert a.amphoe_of("52") is None
    assert a.resolve("5213") == "5213"


def test_old_codes_of_lampang_come_from_geothai():
    # All of Lampang's old codes geothai knows, each with one current successor.
    assert a.old_codes() == {
        "520198": ("520202",), "520199": ("520201",), "520696": ("521304",),
        "520697": ("521303",), "520698": ("521302",), "520699": ("521301",),
        "521009": ("520205",),
    }


@pytest.mark.parametrize(("old", "current", "amphoe"), [
    ("520699", "521301", "5213"),  # Mueang Pan: tambon of Chae Hom, moved to Mueang Pan district
    ("521009", "520205", "5202"),  # Sop Pat: once in Mae Tha, now in Mae Mo
    ("520198", "520202", "5202"),  # Na Sak: once in Mueang Lampang, now in Mae Mo
])
def test_an_old_code_resolves_to_the_current_one(old, current, amphoe):
    assert a.resolve(old) == current
    assert a.amphoe_of(old) == amphoe
    assert old not in a.areas()


def test_a_refusal_names_the_current_code():
    error = a.UnknownAreaCode("520699", "521301")
    assert isinstance(error, ValueError)
    assert (error.code, error.current) == ("520699", "521301")
    assert str(error) == ("520699 is not a current area code of Lampang province; "
                          "use 521301 (Mueang Pan, Mueang Pan)")


@pytest.mark.parametrize("code", [
    "540101",  # a current tambon of Phrae
    "5001",  # a current amphoe of Chiang Mai
    "10",  # Bangkok
    "104701",  # an old Bangkok code that geothai maps to two new ones
    "520109x", "5299", "521009 0", "",
])
def test_codes_outside_lampang_or_malformed_are_refused(code):
    with pytest.raises(a.UnknownAreaCode) as raised:
        a.resolve(code)
    assert raised.value.current is None
    assert "not an area code of Lampang province" in str(raised.value)


def test_a_refusal_says_where_a_code_of_another_province_is():
    with pytest.raises(ValueError, match=r"^540101 is not an area code of Lampang province "
                                         r"\(it is in Phrae province\)$"):
        a.resolve("540101")


def test_labels_in_thai_and_english():
    assert a.label("521205", "th") == "เวียงตาล"
    assert a.label("521205", "en") == "Wiang Tan"
    assert a.label("521205", "en_GB") == "Wiang Tan"
    assert a.label("5201", "th") == "เมืองลำปาง"
    assert a.label("5201", "en") == "Mueang Lampang"
    assert a.label("52", "en") == "Lampang"
    assert a.label("520699", "th") == "เมืองปาน"  # an old code shows its current name
    with pytest.raises(a.UnknownAreaCode):
        a.label("540101", "th")


def test_choices_province_then_amphoe_then_tambon():
    found = a.choices()
    assert len(found) == 114
    assert [c["value"] for c in found[:3]] == ["52", "5201", "5202"]
    assert [c["value"] for c in found[13:15]] == ["5213", "520101"]
    by_value = {c["value"]: c["label"] for c in found}
    assert by_value["52"] == {"en": "Lampang province", "th": "จังหวัดลำปาง"}
    assert by_value["5201"] == {"en": "Mueang Lampang district", "th": "อำเภอเมืองลำปาง"}
    assert by_value["521205"] == {"en": "Wiang Tan (Hang Chat)", "th": "เวียงตาล (ห้างฉัตร)"}
    assert set(by_value) == set(a.areas())
