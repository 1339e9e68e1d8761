"""Customs declaration number (报关单号 / 海关编号), the number China Customs gives a declaration.

18 digits, assigned by the customs system when the declaration is accepted:

* positions 1–4: the customs office that accepted the declaration (接受申报海关代码);
* positions 5–8: the calendar year of acceptance;
* position 9: the import/export flag, ``1`` import, ``0`` export;
* positions 10–18: a serial number.

This is the layout the declaration form's filling rules (报关单填制规范, "海关编号" field) describe
**[secondary-source]**; there is no check digit, so a well-formed number can still be one customs
never issued. A used-car export declaration carries the export flag ``0``: :func:`validate` checks
the format, :func:`validate_export` also the flag.

>>> validate("5000 2026 0 000123456")
'500020260000123456'
>>> validate_export("500020261000123456")  # doctest: +ELLIPSIS
Traceback (most recent call last):
    ...
chuhai.identifiers.exceptions.InvalidComponent: customs declaration number: position 9 is 1 (import), ...
>>> validate("50002026000012345")
Traceback (most recent call last):
    ...
chuhai.identifiers.exceptions.InvalidLength: customs declaration number: expected 18 digits, got 17
>>> validate("5000202600001234X5")  # doctest: +ELLIPSIS
Traceback (most recent call last):
    ...
chuhai.identifiers.exceptions.InvalidFormat: customs declaration number: character 'X' at position 17 ...
>>> validate("500019990000123456")  # doctest: +ELLIPSIS
Traceback (most recent call last):
    ...
chuhai.identifiers.exceptions.InvalidComponent: customs declaration number: year 1999 (positions 5-8) ...
>>> is_valid("500020262000123456"), format(" 5000-2026-0-000123456 ")
(False, '500020260000123456')
>>> year("500020260000123456"), office("500020260000123456"), is_export("500020260000123456")
(2026, '5000', True)
"""

from __future__ import annotations

from chuhai.identifiers import INVISIBLE, clean
from chuhai.identifiers.exceptions import (
    InvalidComponent,
    InvalidFormat,
    InvalidIdentifier,
    InvalidLength,
)

__all__ = ["compact", "format", "is_export", "is_valid", "office", "validate", "validate_export", "year"]

LENGTH = 18
NAME = "customs declaration number"
NAME_ZH = "报关单号"
# Years the check accepts: the 18-digit layout is that of the computerised declaration system; a
# year outside this range is a typing error, not a declaration Chuhai will meet.
_YEARS = range(2000, 2100)
_DROP = dict.fromkeys(map(ord, "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212/" + INVISIBLE))


def compact(number: str) -> str:
    """Remove spaces, hyphens and invisible characters; read full-width digits as ASCII."""
    return clean(number, _DROP)


def validate(number: str) -> str:
    """The compact number, or the exception naming what is wrong with it."""
    number = compact(number)
    if len(number) != LENGTH:
        raise InvalidLength(
            f"{NAME}: expected {LENGTH} digits, got {len(number)}",
            f"{NAME_ZH}应为{LENGTH}位数字，实际为{len(number)}位",
        )
    for index, char in enumerate(number):
        if not char.isdigit() or not char.isascii():
            raise InvalidFormat(
                f"{NAME}: character {char!r} at position {index + 1} is not a digit",
                f"{NAME_ZH}第{index + 1}位“{char}”不是数字",
                position=index + 1,
                character=char,
            )
    if int(number[4:8]) not in _YEARS:
        raise InvalidComponent(
            f"{NAME}: year {number[4:8]} (positions 5-8) is not plausible",
            f"{NAME_ZH}第5-8位年份{number[4:8]}不合理",
        )
    if number[8] not in "01":
        raise InvalidComponent(
            f"{NAME}: position 9 is {number[8]}, expected 0 (export) or 1 (import)",
            f"{NAME_ZH}第9位应为0（出口）或1（进口），实际为{number[8]}",
            position=9,
            character=number[8],
        )
    return number


def validate_export(number: str) -> str:
    """:func:`validate`, and the export flag (position 9 is ``0``)."""
    number = validate(number)
    if number[8] != "0":
        raise InvalidComponent(
            f"{NAME}: position 9 is 1 (import), an export declaration has 0",
            f"{NAME_ZH}第9位为1（进口），出口报关单应为0",
            position=9,
            character=number[8],
        )
    return number


def is_valid(number: str) -> bool:
    try:
        validate(number)
    except InvalidIdentifier:
        return False
    return True


def format(number: str) -> str:
    """The compact form (customs prints the 18 digits without separators)."""
    return compact(number)


def office(number: str) -> str:
    return validate(number)[:4]


def year(number: str) -> int:
    return int(validate(number)[4:8])


def is_export(number: str) -> bool:
    return validate(number)[8] == "0"
