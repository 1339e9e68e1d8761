"""The commodity-code table and classifier (chuhai.classification), and the customs product name."""

from __future__ import annotations

import itertools
import re
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chuhai import schema
from chuhai.classification import (
    CommodityEntry,
    classify,
    customs_product_name,
    default_table,
    entries,
    load_commodity_table,
)
from chuhai.engine.lawfile import LAW_DIR
from chuhai.errors import LawError

CATEGORIES = schema.COLUMNS["vehicle_category"].values
FUELS = schema.COLUMNS["fuel"].values
BODIES = schema.COLUMNS["body_type"].values


@pytest.mark.parametrize(
    ("category", "fuel", "displacement_ml", "body", "seats", "code", "status"),
    [
        ("passenger", "petrol", 2494, "sedan", 5, "8703235110", "inferred"),  # 2<排量≤2.5升
        ("passenger", "petrol", 1500, "sedan", 5, "8703223010", "seen"),  # 1500 is in (1000, 1500]
        ("passenger", "petrol", 1501, "sedan", 5, "8703234110", "inferred"),  # 1501 is in the next band
        ("passenger", "petrol", 1000, "sedan", 5, "8703213010", "seen"),  # ≤1 L
        ("passenger", "petrol", 1001, "offroad_4wd", 5, "8703224010", "inferred"),
        ("passenger", "petrol", 4001, "wagon", 7, "8703242310", "seen"),
        ("passenger", "petrol", 900, "offroad_4wd", 5, "8703214010", "seen"),  # law review C14
        ("passenger", "petrol", 900, "wagon", 7, "8703215010", "seen"),
        ("passenger", "petrol", 998, "other", 5, "8703219010", "seen"),
        ("passenger", "petrol", 1498, "wagon", 7, "8703225010", "inferred"),  # 8-digit 87032250 only
        ("passenger", "petrol", 1200, "other", 5, "8703229010", "inferred"),
        ("passenger", "phev_petrol", 999, "sedan", 5, "8703601100", "seen"),  # law review C13
        ("passenger", "phev_petrol", 1498, "wagon", 7, "8703602300", "seen"),
        ("passenger", "phev_petrol", 1498, "offroad_4wd", 5, "8703602200", "inferred"),
        ("passenger", "phev_petrol", 2800, "offroad_4wd", 5, "8703605200", "seen"),
        ("passenger", "phev_diesel", 2200, "wagon", 7, "8703704300", "inferred"),
        ("passenger", "phev_diesel", 3500, "wagon", 7, "8703706300", "seen"),
        ("passenger", "phev_diesel", 4500, "other", 7, "8703707900", "seen"),
        ("passenger", "diesel", 4500, "offroad_4wd", 7, "8703336210", "seen"),  # diesel >4 L off-road
        ("passenger", "diesel", 4000, "offroad_4wd", 7, "8703332210", "inferred"),  # 3<排量≤4升
        ("passenger", "diesel", 3500, "other", 7, "8703332910", "seen"),
        ("passenger", "hev_petrol", 2000, "sedan", 5, "8703403110", "inferred"),
        ("passenger", "hev_petrol", 2400, "offroad_4wd", 5, "8703404210", "seen"),
        ("passenger", "hev_diesel", 1800, "other", 5, "8703503910", "seen"),
        ("bus", "diesel", None, None, 10, "8702109300", "seen"),
        ("bus", "diesel", 6700, "other", 19, "8702109300", "seen"),
        ("bus", "diesel", None, None, 20, "8702109210", "seen"),
        ("bus", "diesel", None, None, 29, "8702109290", "seen"),
        ("bus", "diesel", None, None, 53, "8702109100", "seen"),
    ],
)
def test_classify(
    category: str,
    fuel: str,
    displacement_ml: int | None,
    body: str | None,
    seats: int,
    code: str,
    status: str,
) -> None:
    entry = classify(category, fuel, displacement_ml, body, seats)
    assert entry is not None
    assert (entry.code, entry.status) == (code, status)
    assert not entry.ckd


@pytest.mark.parametrize(
    ("condition", "code", "supervision", "licence_from"),
    [
        ("used", "8703801010", "46Axy", None),  # 旧…具有VIN码: law review C12
        ("new", "8703801090", "46Axy", "2026-01-01"),  # 2025 No. 54
        (None, None, None, None),  # new or used decides the code: never guessed
    ],
)
def test_bev_codes_by_condition(
    condition: str | None, code: str | None, supervision: str | None, licence_from: str | None
) -> None:
    for body in BODIES:
        entry = classify("passenger", "bev", None, body, 5, condition=condition)
        if code is None:
            assert entry is None
            continue
        assert entry is not None
        assert (entry.code, entry.supervision, entry.licence_condition) == (code, supervision, True)
        assert (str(entry.licence_from) if entry.licence_from else None) == licence_from


def test_no_obsolete_plug_in_codes() -> None:
    """8703600000 and 8703700000 are not current 10-digit codes (law review C13, F25)."""
    table = default_table()
    assert table.by_code("8703600000") is None
    assert table.by_code("8703700000") is None
    for fuel, sub in (("phev_petrol", "870360"), ("phev_diesel", "870370")):
        for body in BODIES:
            for ml in (800, 1200, 1800, 2200, 2800, 3500, 4500):
                entry = classify("passenger", fuel, ml, body, 5)
                assert entry is not None
                assert entry.code.startswith(sub)
                assert entry.code.endswith("00")


@pytest.mark.parametrize(
    ("category", "fuel", "displacement_ml", "body", "seats"),
    [
        ("passenger", "petrol", None, "sedan", 5),  # displacement unknown
        ("passenger", "petrol", 2000, None, 5),  # body unknown
        ("passenger", "petrol", 2000, "saloon", 5),  # not a body value
        ("passenger", "diesel", 900, "sedan", 5),  # gap: digits not in any source
        ("passenger", "bev", None, "sedan", 5),  # BEV: used or new not given
        ("passenger", "other", 1500, "sedan", 5),  # fuel other is not classified
        ("passenger", "petrol", -5, "sedan", 5),
        ("passenger", "petrol", True, "sedan", 5),
        ("truck", "diesel", 3000, "other", 3),  # 8704210000 needs the gross weight
        ("bus", "diesel", None, None, 9),  # fewer than 10 seats is not heading 8702
        ("bus", "diesel", None, None, None),  # seats unknown
        ("bus", "petrol", None, None, 30),
        ("trailer", "petrol", 2000, "sedan", 5),
        ("", "", None, None, None),
        (None, None, None, None, None),
    ],
)
def test_classify_unknown_is_none(
    category: Any, fuel: Any, displacement_ml: Any, body: Any, seats: Any
) -> None:
    assert classify(category, fuel, displacement_ml, body, seats) is None


def test_ckd_kits_only_on_request() -> None:
    table = default_table()
    kit = table.classify("passenger", "petrol", 1200, "offroad_4wd", 5, ckd=True)
    assert kit is not None
    assert kit.code == "8703224090"
    assert kit.ckd
    assert table.classify("passenger", "petrol", 1200, "offroad_4wd", 5).code == "8703224010"  # type: ignore[union-attr]


EDGES = sorted(
    {0, 1, 7000, 12000} | {b + d for b in (1000, 1500, 2000, 2500, 3000, 4000) for d in (-1, 0, 1)}
)


def test_no_vehicle_matches_two_codes() -> None:
    """Brute force over category × fuel × body × band edges × seats, independently of the loader."""
    table = default_table()
    for ckd in (False, True):
        candidates = [e for e in table.entries() if e.match is not None and e.ckd == ckd]
        for category, fuel, body, ml, seats, condition in itertools.product(
            CATEGORIES,
            FUELS,
            (*BODIES, None),
            (*EDGES, None),
            (None, 5, 9, 10, 19, 20, 23, 24, 29, 30, 60),
            ("used", "new", None),
        ):
            hits = [
                e.code
                for e in candidates
                if e.match is not None and e.match.accepts(category, fuel, ml, body, seats, condition)
            ]
            assert len(hits) <= 1, (category, fuel, body, ml, seats, condition, hits)


BANDS = {
    "petrol": [
        (None, 1000),
        (1000, 1500),
        (1500, 2000),
        (2000, 2500),
        (2500, 3000),
        (3000, 4000),
        (4000, None),
    ],
    "diesel": [
        (None, 1000),
        (1000, 1500),
        (1500, 2000),
        (2000, 2500),
        (2500, 3000),
        (3000, 4000),
        (4000, None),
    ],
}
BANDS["hev_petrol"] = BANDS["hev_diesel"] = BANDS["phev_petrol"] = BANDS["phev_diesel"] = BANDS["petrol"]
# Combinations whose digits no source gives (commodity_codes.yaml `gaps`).
EXPECTED_GAPS = {
    ("diesel", (None, 1000), "sedan"),
    ("diesel", (None, 1000), "offroad_4wd"),
    ("diesel", (None, 1000), "wagon"),
    ("diesel", (None, 1000), "other"),
}


def _inside(band: tuple[int | None, int | None]) -> list[int]:
    over, upto = band
    low = 1 if over is None else over + 1
    return [low, upto if upto is not None else 6500]


def test_coverage_of_passenger_cars() -> None:
    """Every fuel × band × body of a passenger car has a code, except the documented gaps."""
    missing = set()
    for fuel, bands in BANDS.items():
        for band, body in itertools.product(bands, BODIES):
            codes = {classify("passenger", fuel, ml, body, 5) for ml in _inside(band)}
            if codes == {None}:
                missing.add((fuel, band, body))
            else:
                assert None not in codes, (fuel, band, body, codes)
                assert len(codes) == 1, (fuel, band, body, codes)
    assert missing == EXPECTED_GAPS
    for body in BODIES:
        entry = classify("passenger", "bev", None, body, 5, condition="used")
        assert entry is not None
        assert entry.code == "8703801010"


SUBHEADING = {
    ("petrol", 1000): "870321",
    ("petrol", 1500): "870322",
    ("petrol", 2000): "870323",
    ("petrol", 2500): "870323",
    ("petrol", 3000): "870323",
    ("petrol", 4000): "870324",
    ("petrol", None): "870324",
    ("diesel", 1500): "870331",
    ("diesel", 2000): "870332",
    ("diesel", 2500): "870332",
    ("diesel", 3000): "870333",
    ("diesel", 4000): "870333",
    ("diesel", None): "870333",
}
BODY_DIGIT = {"sedan": "1", "offroad_4wd": "2", "wagon": "3", "other": "9"}


def test_codes_follow_the_hs_structure() -> None:
    """The 6-digit subheading agrees with fuel and displacement (HS 2022, regulations.md §3a), the suffix
    with CKD, and the body digit with the 1/2/3/9 pattern where the table uses it."""
    for entry in entries():
        m = entry.match
        if m is None or m.categories != ("passenger",) or m.displacement_ml is None:
            continue
        (fuel,) = m.fuels
        (body,) = m.bodies or (None,)
        hybrid = {
            "hev_petrol": "870340",
            "hev_diesel": "870350",
            "phev_petrol": "870360",
            "phev_diesel": "870370",
        }
        # 870360/870370: suffix 00, no separate CKD code (law review C13).
        suffix = "00" if fuel.startswith("phev") else "90" if entry.ckd else "10"
        assert entry.code[8:] == suffix, entry.code
        if fuel in hybrid:
            assert entry.code[:6] == hybrid[fuel]
        else:
            assert entry.code[:6] == SUBHEADING[(fuel, m.displacement_ml[1])], entry.code
        assert body is not None, entry.code
        if entry.code[:6] in ("870321", "870322"):
            # 30/40/50/90 = 小轿车/越野车/小客车/其他 (eximguru; law review C14)
            assert entry.code[6:8] == {"sedan": "30", "offroad_4wd": "40", "wagon": "50", "other": "90"}[body]
        else:
            assert entry.code[7] == BODY_DIGIT[body], entry.code


# Codes that appear verbatim in regulations.md §3b/§3c (complete vehicles).
SEEN_COMPLETE = {
    "8703213010", "8703242110", "8703242210", "8703242310", "8703242910", "8703332910", "8703336110",
    "8703336210", "8703401310", "8703403310", "8703404110", "8703404210", "8703405310", "8703406110",
    "8703406210", "8703502110", "8703503910", "8703504110", "8703505310", "8703506910", "8703507210",
    "8703801090", "8702109100", "8702109210", "8702109290", "8702109300",
    # law review 2026-12 C12–C14
    "8703801010", "8703214010", "8703215010", "8703219010", "8703223010",
    "8703601100", "8703601300", "8703601900", "8703602300", "8703604100", "8703605100", "8703605200",
    "8703606100", "8703606200", "8703706300", "8703706900", "8703707100", "8703707900",
}  # fmt: skip
SEEN_CKD = {
    "8703213090", "8703224090", "8703241990", "8703242190", "8703312190", "8703321990", "8703322290",
    "8703331190", "8703332390", "8703332990", "8703402990", "8703404990", "8703405990", "8703406190",
    "8703505390", "8703506290", "8703507990",
}  # fmt: skip


def test_seen_codes_are_transcribed_as_seen() -> None:
    table = default_table()
    for code in SEEN_COMPLETE | SEEN_CKD:
        entry = table.by_code(code)
        assert entry is not None, code
        assert entry.status == "seen", code
        assert entry.ckd == (code in SEEN_CKD), code
        assert entry.match is not None, code


def test_provenance_of_every_entry() -> None:
    for entry in entries():
        assert entry.sources
        if entry.status == "inferred":
            assert entry.confidence == "inferred", entry.code
            assert entry.derivation, entry.code
    bev = default_table().by_code("8703801090")
    assert bev is not None
    assert bev.confidence == "verified-in-source"
    assert "mofcom-2025-54" in bev.sources
    assert str(bev.licence_from) == "2026-01-01"
    apron = default_table().by_code("8702102000")
    assert apron is not None
    assert apron.match is None
    assert apron.licence_condition is False


def test_match_rows_agree_with_classify() -> None:
    """The exploded rows (for the vectorised engine) give the same code as classify()."""
    rows = [r for r in default_table().match_rows() if not r["ckd"]]

    def by_rows(
        category: str, fuel: str, ml: int | None, body: str | None, seats: int | None, condition: str | None
    ) -> str | None:
        hits = []
        for r in rows:
            if (r["category"], r["fuel"]) != (category, fuel) or r["body"] not in (None, body):
                continue
            if r["conditions"] is not None and condition not in r["conditions"]:
                continue
            if r["disp_constrained"]:
                if ml is None or (r["disp_over"] is not None and ml <= r["disp_over"]):
                    continue
                if r["disp_upto"] is not None and ml > r["disp_upto"]:
                    continue
            if r["seats_min"] is not None or r["seats_max"] is not None:
                if seats is None or (r["seats_min"] is not None and seats < r["seats_min"]):
                    continue
                if r["seats_max"] is not None and seats > r["seats_max"]:
                    continue
            hits.append(r["code"])
        assert len(hits) <= 1
        return hits[0] if hits else None

    for category, fuel, body, ml, seats, condition in itertools.product(
        ("passenger", "bus"), FUELS, (*BODIES, None), (*EDGES, None), (None, 5, 12, 40), ("used", "new", None)
    ):
        entry = classify(category, fuel, ml, body, seats, condition=condition)
        assert by_rows(category, fuel, ml, body, seats, condition) == (entry.code if entry else None)


@given(
    st.one_of(st.none(), st.sampled_from(CATEGORIES), st.text(max_size=5), st.integers()),
    st.one_of(st.none(), st.sampled_from(FUELS), st.text(max_size=5)),
    st.one_of(
        st.none(), st.integers(min_value=-(10**12), max_value=10**12), st.floats(), st.booleans(), st.text()
    ),
    st.one_of(st.none(), st.sampled_from(BODIES), st.text(max_size=5), st.lists(st.text())),
    st.one_of(st.none(), st.integers(), st.floats(), st.text()),
)
def test_classify_never_crashes(category: Any, fuel: Any, ml: Any, body: Any, seats: Any) -> None:
    result = classify(category, fuel, ml, body, seats)
    assert result is None or isinstance(result, CommodityEntry)


# ---------------------------------------------------------------------------------------------------
# Customs product name: 旧+车辆品牌+排气量+车型
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("brand", "ml", "body", "fuel", "name"),
    [
        ("丰田", 2494, "sedan", "petrol", "旧丰田2.5L小轿车"),  # the sources' example
        ("丰田", 1998, "offroad_4wd", "diesel", "旧丰田2.0L越野车"),
        ("丰田", 2450, "sedan", "petrol", "旧丰田2.5L小轿车"),  # half up
        ("丰田", 2449, "sedan", "petrol", "旧丰田2.4L小轿车"),
        ("大众", 1395, "wagon", "hev_petrol", "旧大众1.4L小客车"),
        ("比亚迪", 1498, "other", "phev_petrol", "旧比亚迪1.5L其他载人车辆"),
        (" 本田 ", 999, "sedan", "petrol", "旧本田1.0L小轿车"),
        ("特斯拉", None, "sedan", "bev", "旧特斯拉小轿车"),  # BEV: no displacement (inferred)
        ("特斯拉", 1500, "sedan", "bev", "旧特斯拉小轿车"),
        ("丰田", None, "sedan", "petrol", None),
        ("丰田", 0, "sedan", "petrol", None),
        ("丰田", -1500, "sedan", "petrol", None),
        ("丰田", 2494, None, "petrol", None),
        ("丰田", 2494, "saloon", "petrol", None),
        ("", 2494, "sedan", "petrol", None),
        ("   ", 2494, "sedan", "petrol", None),
        (None, 2494, "sedan", "petrol", None),
    ],
)
def test_customs_product_name(brand: Any, ml: Any, body: Any, fuel: Any, name: str | None) -> None:
    assert customs_product_name(brand, ml, body, fuel) == name


@given(st.integers(min_value=50, max_value=20000))
def test_customs_product_name_rounds_to_the_nearest_tenth(ml: int) -> None:
    name = customs_product_name("丰田", ml, "sedan", "petrol")
    assert name is not None
    found = re.fullmatch(r"旧丰田(\d+\.\d)L小轿车", name)
    assert found is not None
    litres = Decimal(found.group(1))
    assert abs(litres * 1000 - ml) <= 50
    if abs(litres * 1000 - ml) == 50:  # a tie rounds up
        assert litres * 1000 > ml


def test_customs_product_name_before_the_pattern_is_none() -> None:
    import datetime as dt

    assert customs_product_name("丰田", 2494, "sedan", "petrol", as_of=dt.date(2020, 1, 1)) is None
    assert (
        customs_product_name("丰田", 2494, "sedan", "petrol", as_of=dt.date(2026, 1, 1)) == "旧丰田2.5L小轿车"
    )


# ---------------------------------------------------------------------------------------------------
# The loader rejects junk, naming the file and the key
# ---------------------------------------------------------------------------------------------------

ENTRY = """\
  - code: "{code}"
    description_zh: 测试
    description_en: test
    match: {match}
    ckd: false
    status: seen
    confidence: secondary-source
    sources: [tariff-g-gacc-agency]
"""
PETROL_LOW = "{category: [passenger], fuel: [petrol], body: [sedan], displacement_ml: [null, 1000]}"
PETROL_MID = "{category: [passenger], fuel: [petrol], body: [sedan], displacement_ml: [1000, 1500]}"


def _table(*items: str) -> str:
    return "codes:\n" + "".join(items)


@pytest.fixture
def law_dir(tmp_path: Path) -> Path:
    shutil.copy(LAW_DIR / "references.yaml", tmp_path / "references.yaml")
    return tmp_path


def test_loader_accepts_a_small_table(law_dir: Path) -> None:
    (law_dir / "commodity_codes.yaml").write_text(
        _table(
            ENTRY.format(code="8703213010", match=PETROL_LOW),
            ENTRY.format(code="8703223010", match=PETROL_MID),
        ),
        encoding="utf-8",
    )
    table = load_commodity_table(law_dir)
    assert table.classify("passenger", "petrol", 1000, "sedan").code == "8703213010"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (_table(ENTRY.format(code="8703213010", match=PETROL_LOW) + "    colour: red\n"), "codes[0]"),
        (
            _table(
                ENTRY.format(code="8703213010", match=PETROL_LOW),
                ENTRY.format(code="8703213010", match=PETROL_MID),
            ),
            "codes[1].code",
        ),
        (_table(ENTRY.format(code="870321301", match=PETROL_LOW)), "codes[0].code"),
        (_table(ENTRY.format(code="８７０３２１３０１０", match=PETROL_LOW)), "codes[0].code"),
        (
            _table(ENTRY.format(code="8703213010", match=PETROL_LOW).replace('"8703213010"', "8703213010")),
            "codes[0].code",
        ),
        (
            _table(
                ENTRY.format(code="8703213010", match=PETROL_LOW),
                ENTRY.format(code="8703223010", match=PETROL_MID.replace("[1000, 1500]", "[999, 1500]")),
            ),
            "codes[1].match",
        ),
        (
            _table(
                ENTRY.format(code="8703213010", match=PETROL_LOW),
                ENTRY.format(code="8703223010", match=PETROL_LOW.replace("[sedan]", "any")),
            ),
            "codes[1].match",
        ),
        (
            _table(ENTRY.format(code="8703213010", match=PETROL_LOW.replace("petrol", "kerosene"))),
            "codes[0].match.fuel",
        ),
        (
            _table(ENTRY.format(code="8703213010", match=PETROL_LOW.replace("[null, 1000]", "[1000, 1000]"))),
            "displacement_ml",
        ),
        (
            _table(ENTRY.format(code="8703213010", match=PETROL_LOW.replace("[null, 1000]", "[null, null]"))),
            "displacement_ml",
        ),
        (
            _table(
                ENTRY.format(code="8703213010", match=PETROL_LOW).replace("tariff-g-gacc-agency", "nowhere")
            ),
            "sources[0]",
        ),
        (
            _table(
                ENTRY.format(code="8703213010", match=PETROL_LOW).replace("status: seen", "status: inferred")
            ),
            "codes[0]",
        ),
        (
            _table(ENTRY.format(code="8703213010", match=PETROL_LOW).replace("ckd: false", "ckd: true")),
            "codes[0].ckd",
        ),
        (
            _table(ENTRY.format(code="8703213010", match=PETROL_LOW).replace("ckd: false", "ckd: 0")),
            "codes[0].ckd",
        ),
        (_table(ENTRY.format(code="8703213010", match=PETROL_LOW)) + "gaps: [nope]\n", "gaps[0]"),
        ("codes: []\n", "codes"),
        ("codes: {a: 1}\n", "codes"),
        ("kodes: []\n", "(top level)"),
    ],
)
def test_loader_rejects_junk(law_dir: Path, text: str, key: str) -> None:
    path = law_dir / "commodity_codes.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LawError) as info:
        load_commodity_table(law_dir)
    assert str(path) in str(info.value)
    assert key in str(info.value)


@pytest.mark.parametrize(
    "content",
    [
        b"codes:\n  - code: '1'\n    code: '2'\n",  # duplicate key
        b"\xff\xfe\x00junk",
        b"codes: [unclosed\n",
        b"",
        b"- 1\n- 2\n",
    ],
)
def test_loader_rejects_malformed_files(law_dir: Path, content: bytes) -> None:
    path = law_dir / "commodity_codes.yaml"
    path.write_bytes(content)
    with pytest.raises(LawError, match=re.escape(str(path))):
        load_commodity_table(law_dir)
