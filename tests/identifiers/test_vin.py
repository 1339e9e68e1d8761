"""VIN: the real samples of reference-data.md §3.4, vininfo's negative cases and a vininfo cross-check."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from vininfo import Vin

from chuhai.identifiers import vin
from chuhai.identifiers.exceptions import InvalidFormat, InvalidIdentifier, InvalidLength

TODAY = dt.date(2026, 11, 22)


class Sample(NamedTuple):
    row: int
    vin: str
    make: str | None  # manufacturer_en expected from the project table; None = not a Chinese WMI
    computed: str  # check digit as computed in reference-data.md §3.4
    status: vin.CheckDigit
    years: list[int]  # model-year candidates with TODAY, from the §3.2 table


V, INV = vin.CheckDigit.VALID, vin.CheckDigit.INVALID

# reference-data.md §3.4 (real VINs from public code; row numbers of the full list).
SAMPLES = [
    Sample(1, "LRW3E1EB6PC843415", "Tesla (Shanghai)", "6", V, [2023, 1993]),
    Sample(2, "LRW3E1EB0PC932736", "Tesla (Shanghai)", "0", V, [2023, 1993]),
    Sample(3, "LRW3E1EB4PC872671", "Tesla (Shanghai)", "4", V, [2023, 1993]),
    Sample(4, "LRW3E1EB4PC923599", "Tesla (Shanghai)", "4", V, [2023, 1993]),
    Sample(5, "LRW3E1EB9PC922027", "Tesla (Shanghai)", "9", V, [2023, 1993]),
    Sample(6, "LRW3E1FA6PC944248", "Tesla (Shanghai)", "6", V, [2023, 1993]),
    Sample(7, "LRW3E1FA7PC872623", "Tesla (Shanghai)", "7", V, [2023, 1993]),
    Sample(8, "LRW3E1FA8PC872369", "Tesla (Shanghai)", "8", V, [2023, 1993]),
    Sample(9, "LRW3E1FA8PC872565", "Tesla (Shanghai)", "8", V, [2023, 1993]),
    Sample(10, "LRW3E1FA8PC921165", "Tesla (Shanghai)", "8", V, [2023, 1993]),
    Sample(33, "LRW3E7FA6NC544804", "Tesla (Shanghai)", "4", INV, [2022, 1992]),  # NEGATIVE
    Sample(34, "LRWYGCFS4PC123456", "Tesla (Shanghai)", "0", INV, [2023, 1993]),  # NEGATIVE
    Sample(42, "LVSFCFME37F107967", "Changan Ford", "3", V, [2007]),
    Sample(43, "LVSHCAMB1CE054249", "Changan Ford", "1", V, [2012, 1982]),
    Sample(52, "1M8GDM9AXKP042788", None, "X", V, [2019, 1989]),
    Sample(53, "WBA71DC010CH14720", None, "1", V, []),
    Sample(54, "19XFC1F7XGE028370", None, "X", V, [2016, 1986]),
    Sample(55, "1C4RJEAG2EC476429", None, "2", V, [2014, 1984]),
]


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: f"row{s.row}")
def test_reference_samples(sample: Sample) -> None:
    assert vin.validate(sample.vin) == sample.vin
    assert vin.is_valid(sample.vin)
    assert vin.calc_check_digit(sample.vin) == sample.computed
    assert vin.check_digit_status(sample.vin) is sample.status
    assert vin.model_year_candidates(sample.vin, TODAY) == sample.years
    entry = vin.manufacturer(sample.vin)
    if sample.make is None:
        assert entry is None
        assert not vin.is_china_built(sample.vin)
    else:
        assert entry is not None
        assert entry.manufacturer_en == sample.make
        assert entry.wmi == sample.vin[:3]
        assert vin.is_china_built(sample.vin)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: f"row{s.row}")
def test_reference_samples_agree_with_vininfo(sample: Sample) -> None:
    """reference-data.md §3.4 notes: vininfo 1.11.0 agrees on every row (check_year=False)."""
    assert Vin(sample.vin).verify_checksum(check_year=False) is (sample.status is V)


@pytest.mark.parametrize(
    ("vin_text", "position", "character"),
    [
        ("AAAAAAAAAAAAAAAAO", 17, "O"),  # vininfo tests: forbidden O
        ("AAAAAAAIAAAAAAAAA", 8, "I"),  # vininfo tests: forbidden I
        ("AAAAAAA:AAAAAAAAA", 8, ":"),  # vininfo tests: not alphanumeric
        ("LVSHCAMB1CE05424I", 17, "I"),  # WALL-E tests
        ("LVSHCAMB1CE05424O", 17, "O"),
        ("LVSHCAMB1CE05424Q", 17, "Q"),
        ("LVSHCAMB1CE05424\x00", 17, "\x00"),
        ("ЛRW3E1EB6PC843415", 1, "Л"),  # Cyrillic
    ],
)
def test_bad_characters_are_named_with_their_position(vin_text: str, position: int, character: str) -> None:
    with pytest.raises(InvalidFormat) as caught:
        vin.validate(vin_text)
    assert type(caught.value) is InvalidFormat
    assert caught.value.position == position
    assert caught.value.character == character
    assert f"position {position}" in caught.value.message
    assert f"第{position}位" in caught.value.message_zh
    assert not vin.is_valid(vin_text)


@pytest.mark.parametrize("vin_text", ["tooshort", "LVSHCAMB1CE0542490", "", "   ", "-"])
def test_wrong_length(vin_text: str) -> None:
    with pytest.raises(InvalidLength, match="expected 17 characters"):
        vin.validate(vin_text)
    assert not vin.is_valid(vin_text)


def test_homoglyphs_do_not_pass() -> None:
    """Cyrillic А/В/С/Е/Н/К/М/Р/Т/Х look like Latin letters; NFKC does not map them, so they fail."""
    assert not vin.is_valid("LRW3Е1ЕB6PC843415")  # two Cyrillic Е


def test_lower_case_is_normalised_and_then_checked() -> None:
    """vininfo test: lower-case y at position 9 of 1M8GDM9AXKP042788 fails the checksum."""
    assert vin.compact("1M8GDM9AyKP042788") == "1M8GDM9AYKP042788"
    assert vin.check_digit_status("1M8GDM9AyKP042788") is vin.CheckDigit.INVALID  # North America
    assert not Vin("1M8GDM9AyKP042788").verify_checksum(check_year=False)


@pytest.mark.parametrize(
    "text",
    [
        "lrw3e1eb6pc843415",
        " LRW3E1EB6PC843415\n",
        "LRW-3E1EB6-PC843415",
        "LRW 3E1EB6 PC843415",
        "LRW\u30003E1EB6\u3000PC843415",  # ideographic space
        "LRW\u00a03E1EB6\tPC843415\r",  # no-break space, tab, CR
        "ＬＲＷ３Ｅ１ＥＢ６ＰＣ８４３４１５",  # full-width
        "ｌｒｗ３ｅ１ｅｂ６ｐｃ８４３４１５",
        "LRW－3E1EB6－PC843415",  # full-width hyphen
        "LRW\u20133E1EB6PC843415",  # en dash
        "\ufeffLRW3E1EB6PC843415\u200b",  # BOM, zero-width space
    ],
)
def test_compact_forgives_input_noise(text: str) -> None:
    assert vin.compact(text) == "LRW3E1EB6PC843415"
    assert vin.validate(text) == "LRW3E1EB6PC843415"
    assert vin.format(text) == "LRW3E1EB6PC843415"
    assert vin.check_digit_status(text) is vin.CheckDigit.VALID


def test_not_applicable_only_outside_mandatory_regions() -> None:
    # Same VIN body, position 9 a letter other than X (the check digit is 1 for the original).
    european = "WBA71DC0A0CH14720"
    chinese = "LRW3E1EBAPC843415"
    american = "1M8GDM9ABKP042788"
    assert vin.check_digit_status(european) is vin.CheckDigit.NOT_APPLICABLE
    assert vin.check_digit_status(chinese) is vin.CheckDigit.INVALID
    assert vin.check_digit_status(american) is vin.CheckDigit.INVALID
    # A digit or X that does not match is INVALID everywhere (advice outside mandatory regions).
    assert vin.check_digit_status("WBA71DC020CH14720") is vin.CheckDigit.INVALID
    assert vin.check_digit_status("WBA71DC0X0CH14720") is vin.CheckDigit.INVALID


def test_regions() -> None:
    assert vin.is_china_built("HE9A1234567890123")  # vininfo maps the whole H range to China
    assert vin.is_check_digit_mandatory("HE9A1234567890123")
    for first in "12345":
        assert vin.is_check_digit_mandatory(first + "M8GDM9AXKP042788")
        assert not vin.is_china_built(first + "M8GDM9AXKP042788")
    for first in "6789ABCJKMNRSTUVWXYZ":
        assert not vin.is_check_digit_mandatory(first + "BA71DC010CH14720")


def test_calc_check_digit_ignores_position_9() -> None:
    body = "LRW3E1EB?PC843415"
    digits = {vin.calc_check_digit(body.replace("?", c)) for c in sorted(vin.ALPHABET)}
    assert digits == {"6"}


def test_calc_check_digit_can_give_x() -> None:
    assert vin.calc_check_digit("1M8GDM9A0KP042788") == "X"


@pytest.mark.parametrize(
    ("code", "today", "expected"),
    [
        ("P", TODAY, [2023, 1993]),
        ("T", TODAY, [2026, 1996]),
        ("V", TODAY, [2027, 1997]),  # next year's models are on sale
        ("W", TODAY, [1998]),  # 2028 is too far ahead
        ("A", TODAY, [2010, 1980]),
        ("9", TODAY, [2009]),
        ("1", dt.date(2031, 1, 1), [2031, 2001]),
        ("A", dt.date(2040, 6, 1), [2040, 2010, 1980]),
        ("Y", dt.date(1995, 1, 1), []),  # no candidate up to next year
        ("0", TODAY, []),
        ("U", TODAY, []),
        ("Z", TODAY, []),
    ],
)
def test_model_year_candidates(code: str, today: dt.date, expected: list[int]) -> None:
    assert vin.model_year_candidates("LRW3E1EB6" + code + "C843415", today) == expected


def test_year_codes_follow_the_reference_table() -> None:
    """reference-data.md §3.2: A=2010 ... Y=2030, 1=2031 ... 9=2039 in the current cycle."""
    table = dict(zip("ABCDEFGHJKLMNPRSTVWXY123456789", range(2010, 2040), strict=True))
    far_future = dt.date(2060, 1, 1)
    for code, year in table.items():
        candidates = vin.model_year_candidates("LRW3E1EB6" + code + "C843415", far_future)
        assert year in candidates
        assert all((year - c) % 30 == 0 for c in candidates)


VIN_CHARS = sorted(vin.ALPHABET)
vins = st.lists(st.sampled_from(VIN_CHARS), min_size=17, max_size=17).map("".join)


@settings(max_examples=500, deadline=None)
@given(vins, st.booleans())
def test_check_digit_agrees_with_vininfo(number: str, fix: bool) -> None:
    if fix:  # half of the VINs get the right digit, so both outcomes are exercised
        number = number[:8] + vin.calc_check_digit(number) + number[9:]
    decoded = Vin(number)
    if not getattr(decoded.assembler, "uses_sae_checkdigit", True):
        return  # vininfo answers False without computing for these makers
    matches = vin.calc_check_digit(number) == number[8]
    assert decoded.verify_checksum(check_year=False) is matches
    assert (vin.check_digit_status(number) is vin.CheckDigit.VALID) is matches


@settings(max_examples=300, deadline=None)
@given(vins)
def test_model_years_agree_with_vininfo(number: str) -> None:
    decoded = Vin(number)
    if getattr(decoded.assembler, "year_position", 0) != 0:
        return  # vininfo reads the year elsewhere for these makers
    today = dt.datetime.now(tz=dt.UTC).date()  # vininfo uses the current UTC year
    assert vin.model_year_candidates(number, today) == decoded.years


@settings(max_examples=300, deadline=None)
@given(vins)
def test_tri_state_is_consistent(number: str) -> None:
    status = vin.check_digit_status(number)
    position9 = number[8]
    if status is vin.CheckDigit.NOT_APPLICABLE:
        assert not vin.is_check_digit_mandatory(number)
        assert not position9.isdigit()
        assert position9 != "X"
    elif status is vin.CheckDigit.VALID:
        assert position9 == vin.calc_check_digit(number)
    else:
        assert position9 != vin.calc_check_digit(number)


def test_errors_are_validation_errors() -> None:
    from chuhai.errors import ChuhaiError, ValidationError

    with pytest.raises(InvalidIdentifier) as caught:
        vin.validate("tooshort")
    assert isinstance(caught.value, ValidationError)
    assert isinstance(caught.value, ChuhaiError)
    assert caught.value.code == ValidationError.code
    assert caught.value.kind == "length"
    assert caught.value.message_zh == "车辆识别代号应为17位，实际为8位"
