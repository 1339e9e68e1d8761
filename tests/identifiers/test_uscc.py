"""USCC, cross-checked against python-stdnum (right on the checksum, too strict on positions 1-2)."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import InvalidFormat as StdnumInvalidFormat

from chuhai.identifiers import uscc
from chuhai.identifiers.exceptions import InvalidChecksum, InvalidFormat, InvalidLength

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def stdnum_doc_examples() -> list[tuple[str, str]]:
    """The ``validate('...')`` examples of the installed stdnum.cn.uscc docstring, with their outcome.

    The wheel does not ship tests/test_cn_uscc.doctest, so the module's own examples are what we can
    read from the installed package.
    """
    doc = stdnum_uscc.__doc__ or ""
    found = re.findall(r">>> validate\('([^']*)'\)\n(?:'([^']*)'|Traceback.*?\n\s*\.\.\.\n(\w+):)", doc, re.S)
    return [(number, "valid" if valid else error) for number, valid, error in found]


def test_stdnum_doc_examples_are_read() -> None:
    examples = stdnum_doc_examples()
    assert ("91110000600037341L", "valid") in examples
    assert len(examples) >= 3


@pytest.mark.parametrize(("number", "stdnum_outcome"), stdnum_doc_examples())
def test_agrees_with_stdnum_doc_examples(number: str, stdnum_outcome: str) -> None:
    if stdnum_outcome == "valid":
        assert uscc.validate(number) == stdnum_uscc.validate(number)
    elif stdnum_outcome == "InvalidLength":
        with pytest.raises(InvalidLength):
            uscc.validate(number)
    elif stdnum_outcome == "InvalidFormat" and number[:2].isalnum() and number[2:8].isdigit():
        # stdnum refuses a letter in positions 1-2; we accept it and check the checksum instead.
        assert not number[:2].isdigit()
        fixed = number[:17] + uscc.calc_check_digit(number)
        assert uscc.validate(fixed) == fixed
        if fixed != number:
            with pytest.raises(InvalidChecksum):
                uscc.validate(number)
    else:
        with pytest.raises(InvalidFormat):
            uscc.validate(number)


def test_letter_prefix_that_stdnum_refuses() -> None:
    """libraries.md §1.2: a checksum-valid Y1110000MA0000001Y is rejected by stdnum (InvalidFormat)."""
    assert uscc.validate("Y1110000MA0000001Y") == "Y1110000MA0000001Y"
    with pytest.raises(StdnumInvalidFormat):
        stdnum_uscc.validate("Y1110000MA0000001Y")


def test_exporter_profile_example_from_the_spec() -> None:
    """shared/spec/vehicle-file.md: ``uscc: 91500000MA5U00000W`` (check character verified)."""
    assert uscc.is_valid("91500000MA5U00000W")
    assert stdnum_uscc.is_valid("91500000MA5U00000W")


@pytest.mark.parametrize(
    ("number", "error", "position"),
    [
        ("12345", InvalidLength, None),
        ("91110000600037341L0", InvalidLength, None),
        ("", InvalidLength, None),
        ("9111000060003IOZSV", InvalidFormat, 14),  # stdnum doctest: I, O, Z, S, V are not used
        ("A1A10000600037341L", InvalidFormat, 3),  # positions 3-8 are digits
        ("911100006000373410", InvalidChecksum, 18),
        ("91110000600037341N", InvalidChecksum, 18),  # stdnum doctest
        ("I1110000600037341L", InvalidFormat, 1),
        ("9O110000600037341L", InvalidFormat, 2),
        ("91110000600037341\x00", InvalidFormat, 18),
    ],
)
def test_invalid(number: str, error: type[Exception], position: int | None) -> None:
    with pytest.raises(error) as caught:
        uscc.validate(number)
    assert type(caught.value) is error
    if position is not None:
        assert caught.value.position == position  # type: ignore[attr-defined]
        if error is InvalidFormat:
            assert f"position {position}" in str(caught.value)
    assert not uscc.is_valid(number)


def test_compact_and_format() -> None:
    assert uscc.compact(" 9111-0000 6000\u30003734 1l ") == "91110000600037341L"
    assert uscc.compact("９１１１００００６０００３７３４１Ｌ") == "91110000600037341L"
    assert uscc.format("91 110000 600037341L") == "91110000600037341L"


def test_calc_check_digit_accepts_17_or_18() -> None:
    assert uscc.calc_check_digit("91110000600037341") == "L"
    assert uscc.calc_check_digit("91110000600037341N") == "L"
    with pytest.raises(InvalidLength):
        uscc.calc_check_digit("9111000060003734")


bodies = st.tuples(
    st.text(ALPHABET, min_size=2, max_size=2),
    st.text("0123456789", min_size=6, max_size=6),
    st.text(ALPHABET, min_size=9, max_size=9),
).map("".join)


@settings(max_examples=500, deadline=None)
@given(bodies)
def test_check_digit_agrees_with_stdnum(body: str) -> None:
    check = uscc.calc_check_digit(body)
    assert check == stdnum_uscc.calc_check_digit(body)
    assert uscc.validate(body + check) == body + check
    for wrong in ALPHABET:
        if wrong != check:
            assert not uscc.is_valid(body + wrong)


@settings(max_examples=300, deadline=None)
@given(st.text("0123456789", min_size=8, max_size=8), st.text(ALPHABET, min_size=9, max_size=9))
def test_numbers_stdnum_generates_are_valid(head: str, tail: str) -> None:
    body = head + tail
    number = body + stdnum_uscc.calc_check_digit(body)
    assert stdnum_uscc.is_valid(number)
    assert uscc.is_valid(number)
    assert uscc.validate(number) == stdnum_uscc.validate(number)


@settings(max_examples=300, deadline=None)
@given(st.text(ALPHABET, min_size=18, max_size=18))
def test_never_more_lenient_than_stdnum_except_positions_1_2(number: str) -> None:
    if uscc.is_valid(number) and number[:2].isdigit():
        assert stdnum_uscc.is_valid(number)
    if stdnum_uscc.is_valid(number):
        assert uscc.is_valid(number)
