"""The project WMI table (chuhai/law/wmi.yaml) and its strict loader."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from vininfo.dicts.wmi import WMI as VININFO_WMI

from chuhai.errors import LawError
from chuhai.identifiers import vin

# Confidence is a StrEnum (chuhai.engine.model); compared by value so that this test does not
# import the engine package.
VERIFIED, SECONDARY = "verified-in-source", "secondary-source"

# The 45 WMIs reference-data.md §3.3 lists from vininfo dicts/wmi.py @ v1.11.0.
VININFO_LISTED = [
    *("LBE", "LBV", "LC0", "LDC", "LDY", "LE4", "LFM", "LFP", "LFV", "LGB", "LGH", "LGJ"),
    *("LGW", "LGX", "LH1", "LHG", "LJ1", "LJD", "LKL", "LLV", "LMG", "LPA", "LRB", "LRW"),
    *("LS5", "LSG", "LSJ", "LSV", "LSY", "LTV", "LUC", "LVG", "LVH", "LVR", "LVS", "LVV"),
    *("LVY", "LWV", "LYV", "LZE", "LZG", "LZM", "LZW", "LZY", "L6T"),
]
# Added by the 2017 Wikipedia copy, the WALL-E Chinese-name list, and the unreliable LB1 claim.
WIKIPEDIA_COPY = ["LB2", "LDN", "LET", "LFB", "LFT", "LFW", "LHB", "LJC", "LL6", "LVZ", "LZZ"]
WALLE_CN = [
    *("LB3", "LNB", "LS4", "LJ8", "LVA", "LVB", "LVT", "LEF"),
    *("LVX", "LLN", "LRH", "LJN", "LUX", "LGG", "LN8"),
]
CONFLICTING = {"LC0", "LNB", "LB1", "LGH", "LFB"}
# New EV makers' hobby-table WMIs that §3.3 says must not be hard-coded.
NOT_HARD_CODED = {"L1N", "LW4", "HLX", "HXM", "HJN"}


def test_every_listed_wmi_is_in_the_table() -> None:
    assert len(VININFO_LISTED) == 45
    table = vin.wmi_table()
    expected = {*VININFO_LISTED, *WIKIPEDIA_COPY, *WALLE_CN, "LB1"}
    assert set(table) == expected


def test_no_unsourced_new_ev_maker() -> None:
    assert not NOT_HARD_CODED & set(vin.wmi_table())


def test_vininfo_entries_are_verified_unless_conflicting() -> None:
    table = vin.wmi_table()
    for wmi in VININFO_LISTED:
        assert wmi in VININFO_WMI, wmi
        entry = table[wmi]
        assert any("idlesign/vininfo" in source for source in entry.sources), wmi
        if wmi not in CONFLICTING:
            assert entry.confidence == VERIFIED, wmi


def test_conflicting_entries_have_a_note_and_lower_confidence() -> None:
    table = vin.wmi_table()
    for wmi in CONFLICTING:
        entry = table[wmi]
        assert entry.note is not None, wmi
        assert "onflicting" in entry.note, wmi
        assert entry.confidence != VERIFIED, wmi
    assert table["LC0"].manufacturer_en == "BYD"  # reference-data.md §3.3: treat as BYD
    assert "BYD Bus" in (table["LC0"].note or "")


def test_hobby_data_is_secondary() -> None:
    table = vin.wmi_table()
    for wmi in WALLE_CN:
        assert table[wmi].confidence == SECONDARY, wmi
        assert table[wmi].manufacturer_zh, wmi


def test_all_entries_are_chinese() -> None:
    for wmi, entry in vin.wmi_table().items():
        assert wmi.startswith("L")
        assert entry.country == "CN"
        assert entry.wmi == wmi
        assert entry.name
        assert entry.sources


def test_entries_are_frozen_and_the_table_read_only() -> None:
    table = vin.wmi_table()
    entry = table["LRW"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        entry.wmi = "XXX"  # type: ignore[misc]
    with pytest.raises(TypeError):
        table["XXX"] = entry  # type: ignore[index]
    assert vin.wmi_table() is table  # cached


def test_names_without_english_fall_back_to_chinese() -> None:
    entry = vin.wmi_table()["LN8"]
    assert entry.manufacturer_en is None
    assert entry.name == "猎豹"


def test_manufacturer_of_unknown_wmi_is_none() -> None:
    assert vin.manufacturer("HE9A1234567890123") is None
    assert vin.manufacturer("LPSA1234567890123") is None


GOOD = """\
description: test
sources: {a: "somewhere"}
entries:
  LRW: {manufacturer_en: Tesla, country: CN, confidence: verified-in-source, source: a}
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "wmi.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_loader_accepts_a_good_file(tmp_path: Path) -> None:
    table = vin.load_wmi_table(write(tmp_path, GOOD))
    entry = table["LRW"]
    assert entry == vin.WmiEntry("LRW", "Tesla", None, "CN", entry.confidence, ("somewhere",), None)
    assert entry.confidence == VERIFIED
    assert type(entry.confidence).__name__ == "Confidence"


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        (GOOD.replace("country: CN,", "country: CN, colour: red,"), "entries.LRW", "unknown key(s) colour"),
        (GOOD.replace("verified-in-source", "certain"), "entries.LRW.confidence", "expected one of"),
        (GOOD.replace("  LRW:", "  LOW:"), "entries.LOW", "3 characters"),
        (GOOD.replace("  LRW:", "  LR:"), "entries.LR", "3 characters"),
        (GOOD.replace("  LRW:", "  lrw:"), "entries.lrw", "3 characters"),
        (GOOD.replace("  LRW:", "  123:"), "entries.123", "3 characters"),  # an int key
        (GOOD.replace("source: a}", "source: b}"), "entries.LRW.source", "unknown source 'b'"),
        (GOOD.replace("source: a}", "source: []}"), "entries.LRW.source", "at least one source"),
        (GOOD.replace("manufacturer_en: Tesla, ", ""), "entries.LRW", "manufacturer_en or manufacturer_zh"),
        (GOOD.replace("country: CN", "country: China"), "entries.LRW.country", "ISO 3166"),
        (GOOD.replace("country: CN, ", ""), "entries.LRW", "missing key(s) country"),
        (GOOD.replace("description: test\n", ""), "root", "missing key(s) description"),
        (GOOD + "extra: 1\n", "root", "unknown key(s) extra"),
        (
            GOOD + "  LRW: {manufacturer_en: X, country: CN, confidence: inferred, source: a}\n",
            "",
            "duplicate key",
        ),
        ("description: test\nsources: {a: x}\nentries: {}\n", "entries", "no entries"),
        ("- a list\n", "root", "expected a mapping"),
    ],
)
def test_loader_rejects_bad_files(tmp_path: Path, text: str, where: str, message: str) -> None:
    path = write(tmp_path, text)
    with pytest.raises(LawError) as caught:
        vin.load_wmi_table(path)
    assert str(path) in str(caught.value)
    assert where in str(caught.value)
    assert message in str(caught.value)
