"""Junk in, no crash out (STYLE.md principle 7, after python-stdnum tests/test_robustness.doctest).

Every public function of the identifier modules gets junk: it returns, or raises one of the
module's own InvalidIdentifier subclasses, and nothing else. And nothing invalid passes: whatever
``is_valid`` accepts is, once compacted, exactly of the identifier's form.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
import unicodedata
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chuhai.identifiers import commodity, uscc, vin
from chuhai.identifiers.exceptions import InvalidIdentifier


def _category_samples(per_category: int = 3) -> list[str]:
    """The first few code points of every Unicode general category (incl. surrogates, unassigned)."""
    seen: dict[str, list[str]] = {}
    for code_point in range(sys.maxunicode + 1):
        bucket = seen.setdefault(unicodedata.category(chr(code_point)), [])
        if len(bucket) < per_category:
            bucket.append(chr(code_point))
    return [char for bucket in seen.values() for char in bucket]


CATEGORY_SAMPLES = _category_samples()

JUNK: list[str] = [
    "",
    " ",
    "\t\n\r\x0b\x0c",
    "\u3000\u3000",
    "-",
    "---",
    ".",
    "\x00",
    "\x00" * 17,
    "".join(map(chr, range(32))) + "\x7f",
    "x" * 10_000,
    "1" * 10_000,
    "A" * 10_000,
    " " * 10_000,
    "🚗🚙🛻",
    "🚗" * 17,
    "０１２３４５６７８９０",  # full-width digits (eleven: no identifier has that length)
    "مرحبا بالعالم",
    "٠١٢٣٤٥٦٧٨٩٠١٢٣٤٥٦٧",  # Arabic-Indic digits: isdigit() but not ASCII
    "Привет, мир",
    "АВСЕНКМРТХ1234567",  # Cyrillic look-alikes of Latin letters
    "车辆识别代号",
    "\ufdfa",  # NFKC expands this one character to 18
    "\ufb01" * 9,  # "fi" ligature: NFKC gives two letters each
    "ß" * 9,  # upper() gives "SS"
    "\ud800\udfff",  # lone surrogates
    "LRW3E1EB6PC84341\u0301",  # combining accent on the last character
    "\u202eLRW3E1EB6PC843415",  # right-to-left override
    "None",
    "null",
    "0",
    "-1",
    "1e10",
    "<script>alert(1)</script>",
    "'; DROP TABLE vehicles; --",
    *CATEGORY_SAMPLES,
    "".join(CATEGORY_SAMPLES),
]

TODAY = dt.date(2026, 11, 22)

FUNCTIONS: dict[str, Callable[[str], Any]] = {
    "vin.compact": vin.compact,
    "vin.validate": vin.validate,
    "vin.is_valid": vin.is_valid,
    "vin.format": vin.format,
    "vin.calc_check_digit": vin.calc_check_digit,
    "vin.check_digit_status": vin.check_digit_status,
    "vin.is_china_built": vin.is_china_built,
    "vin.is_check_digit_mandatory": vin.is_check_digit_mandatory,
    "vin.model_year_candidates": lambda s: vin.model_year_candidates(s, TODAY),
    "vin.manufacturer": vin.manufacturer,
    "uscc.compact": uscc.compact,
    "uscc.validate": uscc.validate,
    "uscc.is_valid": uscc.is_valid,
    "uscc.format": uscc.format,
    "uscc.calc_check_digit": uscc.calc_check_digit,
    "commodity.compact": commodity.compact,
    "commodity.validate": commodity.validate,
    "commodity.is_valid": commodity.is_valid,
    "commodity.format": commodity.format,
    "commodity.heading": commodity.heading,
    "commodity.subheading": commodity.subheading,
    "commodity.is_vehicle_code": commodity.is_vehicle_code,
}

USCC_CHAR = "[0-9A-HJ-NP-RTUW-Y]"
FORMS: dict[str, tuple[Callable[[str], bool], Callable[[str], str], re.Pattern[str]]] = {
    "vin": (vin.is_valid, vin.compact, re.compile(r"[A-HJ-NPR-Z0-9]{17}")),
    "uscc": (
        uscc.is_valid,
        uscc.compact,
        re.compile(r"[0-9A-HJ-NP-RTUW-Y]{2}[0-9]{6}[0-9A-HJ-NP-RTUW-Y]{10}"),
    ),
    "commodity": (commodity.is_valid, commodity.compact, re.compile(r"[0-9]{10}")),
}


def call_survives(function: Callable[[str], Any], value: str) -> None:
    """The call returns or raises an InvalidIdentifier; anything else propagates and fails the test."""
    error: InvalidIdentifier | None = None
    try:
        function(value)
    except InvalidIdentifier as caught:
        error = caught
    if error is not None:  # every refusal explains itself in both languages
        assert error.message
        assert error.message_zh


@pytest.mark.parametrize("name", FUNCTIONS)
def test_junk_list(name: str) -> None:
    for value in JUNK:
        call_survives(FUNCTIONS[name], value)


@pytest.mark.parametrize("name", FORMS)
def test_no_junk_is_valid(name: str) -> None:
    is_valid, _, _ = FORMS[name]
    assert [value for value in JUNK if is_valid(value)] == []


@pytest.mark.parametrize("name", FUNCTIONS)
def test_not_text_is_refused_cleanly(name: str) -> None:
    for value in (None, b"LRW3E1EB6PC843415", 8703801090, 1.5, ["L"], object()):
        call_survives(FUNCTIONS[name], value)  # type: ignore[arg-type]


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_hypothesis_text(value: str) -> None:
    for function in FUNCTIONS.values():
        call_survives(function, value)
    for is_valid, compact, pattern in FORMS.values():
        if is_valid(value):
            assert pattern.fullmatch(compact(value))


# Text near the valid forms, so that the valid branch is exercised too.
near_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -.\u3000Ａ１\u200bзß"


@settings(max_examples=300, deadline=None)
@given(st.text(near_alphabet, min_size=8, max_size=20))
def test_hypothesis_near_valid(value: str) -> None:
    for function in FUNCTIONS.values():
        call_survives(function, value)
    for name, (is_valid, compact, pattern) in FORMS.items():
        of_form = pattern.fullmatch(compact(value)) is not None
        if name == "uscc":  # the form is necessary, the check character decides
            assert of_form or not is_valid(value)
        else:  # VIN (check digit aside) and commodity code: the form is everything
            assert is_valid(value) is of_form
