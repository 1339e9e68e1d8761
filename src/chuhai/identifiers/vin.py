"""VIN (Vehicle Identification Number, 车辆识别代号; ISO 3779, GB 16735, 49 CFR 565).

A VIN has 17 characters from ``A-H J-N P R-Z 0-9``: I, O and Q are never used, so that they
cannot be confused with 1 and 0 (reference-data.md §3.1, vininfo ``Vin.validate``). Its parts:

* positions 1–3, the WMI (world manufacturer identifier); first character = region, ``L`` and
  ``H`` = China (vininfo ``dicts/countries.py``);
* positions 4–8, the vehicle descriptor, and position 9, the check digit;
* positions 10–17, the vehicle identifier; position 10 is the model-year code.

:func:`validate` checks the length and the characters only. The check digit is a separate,
three-state question (:func:`check_digit_status`), because whether a maker uses one depends on
where the vehicle was built: GB 16735 makes it mandatory for China-built vehicles (Annex A, a
normative annex in a mandatory standard; **[inferred]** from its table of contents, the clause
text was not read) and 49 CFR 565 for North America (first WMI character 1-5; **[inferred]**, the
regulation text is not quoted in the domain files), while ISO 3779 itself does not require it and
many European makers do not use it (reference-data.md §3.1). The rule engine decides what a
mismatch means (a block for a China-built vehicle, advice otherwise; rule-catalog.md
``vin.check_digit``); this module only reports it.

The manufacturer comes from the project's own WMI table, ``chuhai/law/wmi.yaml``, which records
the source and confidence of each entry (reference-data.md §3.3). ``vininfo`` is only used as a
cross-check in the tests: its table is one of our sources, and it returns ``False`` from
``verify_checksum`` both for a wrong digit and when a check digit does not apply
(libraries.md §1.1), which is why the check digit is owned here.

Input is forgiving, output is strict: spaces (also full-width ones), hyphens and invisible
formatting characters are removed, full-width letters and digits are read as ASCII (NFKC), and
lower case is upper-cased.

>>> compact(" lrw3e1eb6-pc843415 ")
'LRW3E1EB6PC843415'
>>> validate("ＬＲＷ３Ｅ１ＥＢ６ＰＣ８４３４１５")
'LRW3E1EB6PC843415'
>>> validate("LRW3E1EB6PC84341")
Traceback (most recent call last):
    ...
chuhai.identifiers.exceptions.InvalidLength: VIN: expected 17 characters, got 16
>>> validate("LRW3E1EB6PC84341O")  # doctest: +ELLIPSIS
Traceback (most recent call last):
    ...
chuhai.identifiers.exceptions.InvalidFormat: VIN: character 'O' at position 17 is not allowed (I, O and Q ...)
>>> try:
...     validate("LRW3E1EB6PC84341O")
... except InvalidFormat as error:
...     print(error.position, error.character, error.message_zh)
17 O 车辆识别代号第17位的字符 'O' 不允许（车辆识别代号不使用字母I、O、Q）
>>> is_valid("LRW3E1EB6PC843415"), is_valid("tooshort")
(True, False)

The check digit (position 9):

>>> calc_check_digit("LRW3E1EB6PC843415")
'6'
>>> check_digit_status("LRW3E1EB6PC843415")
<CheckDigit.VALID: 'valid'>
>>> check_digit_status("LRWYGCFS4PC123456")  # a placeholder VIN found in public code
<CheckDigit.INVALID: 'invalid'>
>>> check_digit_status("WBA71DC010CH14720")
<CheckDigit.VALID: 'valid'>
>>> check_digit_status("WBA71DC0A0CH14720")  # a European maker with no check digit
<CheckDigit.NOT_APPLICABLE: 'not_applicable'>
>>> is_china_built("LRW3E1EB6PC843415"), is_check_digit_mandatory("WBA71DC010CH14720")
(True, False)

The model year (position 10) repeats every 30 years, so there may be several candidates:

>>> from datetime import date
>>> model_year_candidates("LRW3E1EB6PC843415", date(2026, 11, 22))
[2023, 1993]
>>> model_year_candidates("WBA71DC010CH14720", date(2026, 11, 22))
[]

>>> entry = manufacturer("LRW3E1EB6PC843415")
>>> entry.manufacturer_en, entry.confidence.value
('Tesla (Shanghai)', 'verified-in-source')
>>> manufacturer("WBA71DC010CH14720") is None
True
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from chuhai.identifiers import INVISIBLE, clean
from chuhai.identifiers.exceptions import InvalidFormat, InvalidIdentifier, InvalidLength, describe_character

if TYPE_CHECKING:
    from chuhai.engine.lawfile import Checker
    from chuhai.engine.model import Confidence

# The law loader lives in the engine package, which is heavy (polars) and may import this module;
# it is imported inside the functions that read the WMI table so that ``import vin`` stays light
# and free of import cycles.

__all__ = [
    "ALPHABET",
    "CheckDigit",
    "WmiEntry",
    "calc_check_digit",
    "check_digit_status",
    "compact",
    "format",
    "is_check_digit_mandatory",
    "is_china_built",
    "is_valid",
    "load_wmi_table",
    "manufacturer",
    "model_year_candidates",
    "validate",
    "wmi_table",
]

LENGTH = 17

# The VIN alphabet: no I, O, Q (reference-data.md §3.1; vininfo regex ^[A-HJ-NPR-Z0-9]{17}$).
ALPHABET = frozenset("ABCDEFGHJKLMNPRSTUVWXYZ0123456789")

# Check digit, ISO 3779 / 49 CFR 565 / GB 16735 Annex A (reference-data.md §3.1, verified in
# vininfo toolbox.py): letters are transliterated, digits keep their value.
_TRANSLITERATION: dict[str, int] = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_CHECK_POSITION = 8  # 0-based index of position 9
# Public names for the column-wise check digit of the bulk engine (chuhai.engine.derive).
TRANSLITERATION = _TRANSLITERATION
WEIGHTS = _WEIGHTS

# First WMI characters whose check digit is mandatory: L and H = China (GB 16735 Annex A,
# [inferred], reference-data.md §3.1; H per vininfo dicts/countries.py 'H-': 'China'),
# 1-5 = North America (49 CFR 565; [inferred], not quoted in the domain files).
_CHINA_REGION = frozenset("LH")
_NORTH_AMERICA_REGION = frozenset("12345")

# Model-year codes from 1980, repeating every 30 years (reference-data.md §3.2, vininfo `years`).
_YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"
_YEAR_BASE = 1980
_YEAR_CYCLE = len(_YEAR_CODES)

# Removed by compact() besides whitespace: hyphens (ASCII and Unicode dashes) and invisible
# formatting characters.
_DROP = dict.fromkeys(map(ord, "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212" + INVISIBLE))

_VIN = re.compile(r"[A-HJ-NPR-Z0-9]{17}")
_WMI_KEY = re.compile(r"[A-HJ-NPR-Z0-9]{3}")
_COUNTRY = re.compile(r"[A-Z]{2}")
WMI_FILE_NAME = "wmi.yaml"


class CheckDigit(StrEnum):
    """The state of a VIN's check digit (position 9)."""

    VALID = "valid"
    INVALID = "invalid"
    #: Position 9 is a letter other than X outside the regions that require a check digit:
    #: the maker uses that position for something else.
    NOT_APPLICABLE = "not_applicable"


def compact(vin: str) -> str:
    """Remove spaces, hyphens and invisible characters; read full-width as ASCII; upper-case.

    Does not check anything else; :func:`validate` does.
    """
    return clean(vin, _DROP)


def validate(vin: str) -> str:
    """Return the compact VIN if it has 17 characters of the VIN alphabet.

    Raises :class:`InvalidLength` or :class:`InvalidFormat` (naming the first offending
    character and its position). The check digit is not checked here: see
    :func:`check_digit_status`.
    """
    number = compact(vin)
    if _VIN.fullmatch(number):
        return number
    if len(number) != LENGTH:
        raise InvalidLength(
            f"VIN: expected {LENGTH} characters, got {len(number)}",
            f"车辆识别代号应为{LENGTH}位，实际为{len(number)}位",
        )
    for index, char in enumerate(number):
        if char not in ALPHABET:
            shown = describe_character(char)
            position = index + 1
            if char in "IOQ":
                hint_en = " (I, O and Q are never used in a VIN)"
                hint_zh = "（车辆识别代号不使用字母I、O、Q）"
            else:
                hint_en = " (only A-H, J-N, P, R-Z and 0-9 are allowed)"
                hint_zh = "（只允许A-H、J-N、P、R-Z及0-9）"
            raise InvalidFormat(
                f"VIN: character {shown} at position {position} is not allowed{hint_en}",
                f"车辆识别代号第{position}位的字符 {shown} 不允许{hint_zh}",
                position=position,
                character=char,
            )
    return number


def is_valid(vin: str) -> bool:
    """Whether :func:`validate` accepts the VIN (length and characters; not the check digit)."""
    try:
        validate(vin)
    except InvalidIdentifier:
        return False
    return True


def format(vin: str) -> str:
    """The presentation form: a VIN is written as its 17 characters without separators."""
    return compact(vin)


def calc_check_digit(vin: str) -> str:
    """The check digit (``0``-``9`` or ``X``) for a valid VIN; position 9 itself has weight 0.

    To compute the digit of a VIN under construction, put any allowed character at position 9.
    """
    return _check_digit(validate(vin))


def _check_digit(number: str) -> str:
    remainder = sum(_TRANSLITERATION[c] * w for c, w in zip(number, _WEIGHTS, strict=True)) % 11
    return "X" if remainder == 10 else str(remainder)


def is_china_built(vin: str) -> bool:
    """Whether the WMI is in China's range (first character L or H; vininfo dicts/countries.py)."""
    return validate(vin)[0] in _CHINA_REGION


def is_check_digit_mandatory(vin: str) -> bool:
    """Whether the maker's region requires a check digit (China: GB 16735; North America: 49 CFR 565)."""
    return _mandatory(validate(vin))


def _mandatory(number: str) -> bool:
    return number[0] in _CHINA_REGION or number[0] in _NORTH_AMERICA_REGION


def check_digit_status(vin: str) -> CheckDigit:
    """VALID, INVALID or NOT_APPLICABLE (see :class:`CheckDigit`).

    A mismatch is INVALID in the regions that require a check digit, and elsewhere when position 9
    holds a digit or ``X`` (the caller treats that as advice: the maker may not use one). A letter
    other than ``X`` at position 9 outside those regions is NOT_APPLICABLE.
    """
    number = validate(vin)
    actual = number[_CHECK_POSITION]
    if actual == _check_digit(number):
        return CheckDigit.VALID
    if _mandatory(number) or actual in "0123456789X":
        return CheckDigit.INVALID
    return CheckDigit.NOT_APPLICABLE


def model_year_candidates(vin: str, today: dt.date) -> list[int]:
    """The model years the position-10 code can stand for, up to next year, newest first.

    Codes 0, U and Z name no model year (reference-data.md §3.2): the result is then empty.
    """
    code = validate(vin)[9]
    index = _YEAR_CODES.find(code)
    if index < 0:
        return []
    latest = today.year + 1
    years = range(_YEAR_BASE + index, latest + 1, _YEAR_CYCLE)
    return sorted(years, reverse=True)


# --- The project WMI table (chuhai/law/wmi.yaml) ---------------------------------------------


@dataclass(frozen=True)
class WmiEntry:
    """One WMI of the project table, with the sources that name it and how sure they are."""

    wmi: str
    manufacturer_en: str | None
    manufacturer_zh: str | None
    country: str
    confidence: Confidence
    sources: tuple[str, ...]
    note: str | None = None

    @property
    def name(self) -> str:
        """A display name: English where a source gives one, else Chinese."""
        name = self.manufacturer_en or self.manufacturer_zh
        assert name is not None  # guaranteed by load_wmi_table
        return name


_ENTRY_REQUIRED = {"country", "confidence", "source"}
_ENTRY_OPTIONAL = {"manufacturer_en", "manufacturer_zh", "note"}


def load_wmi_table(path: Path) -> Mapping[str, WmiEntry]:
    """Read and check a WMI table; any problem raises LawError naming the file and the key."""
    from chuhai.engine.lawfile import Checker, load_yaml

    check = Checker(path)
    root = check.mapping(load_yaml(path), "root")
    check.keys(root, "root", required={"description", "sources", "entries"}, optional=set())
    check.text(root["description"], "description")
    sources: dict[str, str] = {}
    for key, citation in check.mapping(root["sources"], "sources").items():
        sources[check.text(key, "sources")] = check.text(citation, f"sources.{key}")
    table: dict[str, WmiEntry] = {}
    for wmi, raw in check.mapping(root["entries"], "entries").items():
        if not isinstance(wmi, str) or not _WMI_KEY.fullmatch(wmi):
            raise check.fail(f"entries.{wmi}", "a WMI is 3 characters of A-H, J-N, P, R-Z, 0-9")
        table[wmi] = _entry(check, wmi, raw, sources)
    if not table:
        raise check.fail("entries", "no entries")
    return MappingProxyType(table)


def _entry(check: Checker, wmi: str, raw: Any, sources: Mapping[str, str]) -> WmiEntry:
    from chuhai.engine.model import Confidence

    where = f"entries.{wmi}"
    value = check.mapping(raw, where)
    check.keys(value, where, required=_ENTRY_REQUIRED, optional=_ENTRY_OPTIONAL)

    def optional_text(key: str) -> str | None:
        return check.text(value[key], f"{where}.{key}") if key in value else None

    name_en, name_zh = optional_text("manufacturer_en"), optional_text("manufacturer_zh")
    if name_en is None and name_zh is None:
        raise check.fail(where, "needs manufacturer_en or manufacturer_zh")
    country = check.text(value["country"], f"{where}.country")
    if not _COUNTRY.fullmatch(country):
        raise check.fail(f"{where}.country", f"expected an ISO 3166 alpha-2 code, got {country!r}")
    keys = value["source"]
    keys = [keys] if isinstance(keys, str) else check.sequence(keys, f"{where}.source")
    if not keys:
        raise check.fail(f"{where}.source", "needs at least one source")
    for key in keys:
        if key not in sources:
            raise check.fail(f"{where}.source", f"unknown source {key!r} (declared: {', '.join(sources)})")
    return WmiEntry(
        wmi=wmi,
        manufacturer_en=name_en,
        manufacturer_zh=name_zh,
        country=country,
        confidence=Confidence(check.confidence(value["confidence"], f"{where}.confidence")),
        sources=tuple(sources[key] for key in keys),
        note=optional_text("note"),
    )


def wmi_table() -> Mapping[str, WmiEntry]:
    """The WMI table (``law/wmi.yaml``) of the law in force (:func:`chuhai.lawbook.current`)."""
    from chuhai.lawbook import current

    return current().wmi


def manufacturer(vin: str) -> WmiEntry | None:
    """The project table's entry for the VIN's WMI, or None if the table does not know it."""
    return wmi_table().get(validate(vin)[:3])
