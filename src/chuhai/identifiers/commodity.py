"""China customs commodity code (商品编号): tariff line (税则号列, 8 digits) + supplementary code (附加码, 2).

Ten digits. The first six follow the Harmonized System (HS 2022): heading = digits 1–4,
subheading = digits 1–6; China adds two digits to make the tariff line and two more as the
supplementary code, e.g. ``8703801090`` = battery-electric passenger vehicle with a VIN, under
export licence from 2026-01-01 (regulations.md §1d, **[verified-in-source]**; the build-up of the
ten digits, §3a, is **[secondary-source]**). Used vehicles have no code of their own (§3a).

This module checks the form only: any ten digits are accepted, because the tariff is revised every
year and the list of codes in the 2026 licence catalogue annex was not found (regulations.md §2).
Which codes need a licence is law data, not an identifier question.

>>> validate("8703.8010.90")
'8703801090'
>>> validate("８７０３８０１０９０")
'8703801090'
>>> format("8703801090")
'8703 8010 90'
>>> heading("8703801090"), subheading("8703801090")
('8703', '870380')
>>> is_vehicle_code("8703801090"), is_vehicle_code("8711100090")
(True, True)
>>> validate("870380109")
Traceback (most recent call last):
    ...
chuhai.identifiers.exceptions.InvalidLength: commodity code: expected 10 digits, got 9 characters
>>> validate("87038010X0")
Traceback (most recent call last):
    ...
chuhai.identifiers.exceptions.InvalidFormat: commodity code: character 'X' at position 9 is not a digit
"""

from __future__ import annotations

from chuhai.identifiers import INVISIBLE, clean
from chuhai.identifiers.exceptions import InvalidFormat, InvalidIdentifier, InvalidLength, describe_character

__all__ = [
    "VEHICLE_HEADINGS",
    "compact",
    "format",
    "heading",
    "is_valid",
    "is_vehicle_code",
    "subheading",
    "validate",
]

LENGTH = 10
_DIGITS = frozenset("0123456789")
_DROP = dict.fromkeys(map(ord, "." + INVISIBLE))

# HS headings of motor vehicles. Sources (regulations.md §2, §3, §3c):
#   8702 buses (10 or more seats)         hs.bianmachaxun.com           [secondary-source]
#   8703 passenger vehicles               china-gacc.agency listings    [secondary-source]
#   8704 goods vehicles                   feeair.com, gzbanghai.com     [secondary-source]
#   8706 chassis fitted with engines      2012-era licence annex        [secondary-source]
#   8711 motorcycles                      hs.bianmachaxun.com           [secondary-source]
#   8705 special purpose motor vehicles: HS nomenclature, not in the domain files [inferred]
VEHICLE_HEADINGS = frozenset({"8702", "8703", "8704", "8705", "8706", "8711"})


def compact(code: str) -> str:
    """Remove spaces, dots and invisible characters; read full-width digits as ASCII."""
    return clean(code, _DROP)


def validate(code: str) -> str:
    """Return the compact code if it is ten ASCII digits."""
    number = compact(code)
    if len(number) != LENGTH:
        raise InvalidLength(
            f"commodity code: expected {LENGTH} digits, got {len(number)} characters",
            f"商品编号应为{LENGTH}位数字，实际为{len(number)}个字符",
        )
    for index, char in enumerate(number):
        if char not in _DIGITS:
            shown = describe_character(char)
            raise InvalidFormat(
                f"commodity code: character {shown} at position {index + 1} is not a digit",
                f"商品编号第{index + 1}位的字符 {shown} 不是数字",
                position=index + 1,
                character=char,
            )
    return number


def is_valid(code: str) -> bool:
    """Whether :func:`validate` accepts the code."""
    try:
        validate(code)
    except InvalidIdentifier:
        return False
    return True


def format(code: str) -> str:
    """Group a valid code as heading, the rest of the tariff line and the supplementary code."""
    number = validate(code)
    return f"{number[:4]} {number[4:8]} {number[8:]}"


def heading(code: str) -> str:
    """The HS heading (first four digits) of a valid code."""
    return validate(code)[:4]


def subheading(code: str) -> str:
    """The HS subheading (first six digits) of a valid code."""
    return validate(code)[:6]


def is_vehicle_code(code: str) -> bool:
    """Whether a valid code falls under a motor-vehicle heading (:data:`VEHICLE_HEADINGS`)."""
    return heading(code) in VEHICLE_HEADINGS
