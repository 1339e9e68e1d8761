"""Customs commodity codes: form only, with the codes named in regulations.md §1d and §3."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chuhai.identifiers import commodity
from chuhai.identifiers.exceptions import InvalidFormat, InvalidLength

# Codes named in shared/domain/regulations.md, with their heading.
DOMAIN_CODES = [
    ("8703801090", "8703"),  # §1d: BEV passenger vehicle with a VIN
    ("8703213010", "8703"),  # §3a
    ("8703406190", "8703"),  # §3a (CKD)
    ("8703600000", "8703"),  # §3b: PHEV petrol
    ("8702109100", "8702"),  # §3c: bus, 30+ seats
    ("8704210000", "8704"),  # §3c: diesel goods vehicle <= 5 t
    ("8706003000", "8706"),  # §3c: bus chassis
    ("8711100090", "8711"),  # §3c: motorcycle < 50 cc
]


@pytest.mark.parametrize(("code", "expected_heading"), DOMAIN_CODES)
def test_domain_codes(code: str, expected_heading: str) -> None:
    assert commodity.validate(code) == code
    assert commodity.is_valid(code)
    assert commodity.heading(code) == expected_heading
    assert commodity.subheading(code) == code[:6]
    assert commodity.is_vehicle_code(code)
    assert commodity.format(code) == f"{code[:4]} {code[4:8]} {code[8:]}"


def test_non_vehicle_heading() -> None:
    assert commodity.is_valid("1234567890")
    assert not commodity.is_vehicle_code("1234567890")
    assert not commodity.is_vehicle_code("8707100000")  # a heading outside the set
    assert {"8702", "8703", "8704", "8705", "8706", "8711"} == commodity.VEHICLE_HEADINGS


@pytest.mark.parametrize(
    "text",
    [
        "8703.8010.90",
        "8703 8010 90",
        "8703.80.1090",
        " 8703801090\t",
        "８７０３８０１０９０",
        "８７０３．８０１０．９０",
    ],
)
def test_compact(text: str) -> None:
    assert commodity.compact(text) == "8703801090"
    assert commodity.format(text) == "8703 8010 90"


@pytest.mark.parametrize(
    ("text", "error", "position"),
    [
        ("870380109", InvalidLength, None),  # 8 + 1 digits
        ("87038010", InvalidLength, None),  # a tariff line without the supplementary code
        ("87038010900", InvalidLength, None),
        ("", InvalidLength, None),
        ("87038010X0", InvalidFormat, 9),
        ("8703-80109", InvalidFormat, 5),  # a hyphen is not a separator here
        ("870380109٠", InvalidFormat, 10),  # Arabic-Indic zero: a digit, but not ASCII
        ("8703801\x0090", InvalidFormat, 8),
    ],
)
def test_invalid(text: str, error: type[Exception], position: int | None) -> None:
    with pytest.raises(error) as caught:
        commodity.validate(text)
    assert type(caught.value) is error
    if position is not None:
        assert caught.value.position == position  # type: ignore[attr-defined]
    assert not commodity.is_valid(text)
    with pytest.raises(error):
        commodity.is_vehicle_code(text)


@given(st.text("0123456789", min_size=10, max_size=10))
def test_any_ten_digits(code: str) -> None:
    assert commodity.validate(code) == code
    assert commodity.compact(commodity.format(code)) == code
    assert commodity.is_vehicle_code(code) is (code[:4] in commodity.VEHICLE_HEADINGS)
