"""USCC (unified social credit code, 统一社会信用代码; GB 32100-2015).

Every Chinese enterprise, including an exporter, has one; it is printed on the business licence.
18 characters from ``0123456789ABCDEFGHJKLMNPQRTUWXY`` (no I, O, S, V, Z):

* position 1: registration department (登记管理部门), a digit or a letter;
* position 2: organisation type (机构类别), a digit or a letter;
* positions 3–8: administrative division code (登记管理机关行政区划码), six digits;
* positions 9–17: organisation code (主体标识码);
* position 18: check character, ``alphabet[(31 - Σ value×weight mod 31) mod 31]`` with weights
  1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28.

The alphabet, weights and check formula are those of python-stdnum ``stdnum/cn/uscc.py``
(libraries.md §1.2, **[verified-in-source]**). Unlike stdnum we accept letters in positions 1 and 2:
the published coding rule says they are "阿拉伯数字或英文字母" (digits or Latin letters) and widely
used regular expressions allow them (libraries.md §1.2, **[secondary-source]**; the text of GB
32100-2015 itself was not read), while stdnum rejects a checksum-valid ``Y1110000MA0000001Y``.
We use stdnum only as a cross-check in the tests. A checksum-valid USCC can also be a valid
resident ID number (hutool#1367), so this module must only be used on a field known to hold a USCC.

>>> validate("91110000600037341L")
'91110000600037341L'
>>> validate("Y1110000MA0000001Y")
'Y1110000MA0000001Y'
>>> validate(" 9111 0000 6000 3734 1l")
'91110000600037341L'
>>> validate("91110000600037341N")  # doctest: +ELLIPSIS
Traceback (most recent call last):
    ...
chuhai.identifiers.exceptions.InvalidChecksum: USCC: the check character 'N' does not match ...
>>> validate("911A0000600037341L")  # doctest: +ELLIPSIS
Traceback (most recent call last):
    ...
chuhai.identifiers.exceptions.InvalidFormat: USCC: character 'A' at position 4 is not allowed (positions ...)
>>> validate("12345")
Traceback (most recent call last):
    ...
chuhai.identifiers.exceptions.InvalidLength: USCC: expected 18 characters, got 5
>>> calc_check_digit("91500000MA5U00000")
'W'
>>> is_valid("91500000MA5U00000W"), format("9150 0000 MA5U 0000 0W")
(True, '91500000MA5U00000W')
"""

from __future__ import annotations

from chuhai.identifiers import INVISIBLE, clean
from chuhai.identifiers.exceptions import (
    InvalidChecksum,
    InvalidFormat,
    InvalidIdentifier,
    InvalidLength,
    describe_character,
)

__all__ = ["ALPHABET", "calc_check_digit", "compact", "format", "is_valid", "validate"]

LENGTH = 18

# GB 32100-2015 code alphabet and weights, as in python-stdnum stdnum/cn/uscc.py (libraries.md §1.2).
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUES = {char: value for value, char in enumerate(ALPHABET)}
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_DIVISION = range(2, 8)  # 0-based indexes of positions 3-8, the administrative division code

_DROP = dict.fromkeys(map(ord, "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212" + INVISIBLE))


def compact(number: str) -> str:
    """Remove spaces, hyphens and invisible characters; read full-width as ASCII; upper-case."""
    return clean(number, _DROP)


def _check_characters(number: str) -> None:
    """Raise InvalidFormat naming the first character that may not stand where it is."""
    for index, char in enumerate(number):
        position = index + 1
        if index in _DIVISION:
            if char in "0123456789":
                continue
            hint_en = "positions 3-8 are the administrative division code, six digits"
            hint_zh = "第3至8位为登记管理机关行政区划码，应为6位数字"
        elif char in _VALUES:
            continue
        else:
            hint_en = "only 0-9 and the letters A-H, J-N, P-R, T, U, W-Y are used"
            hint_zh = "只使用0-9及字母A-H、J-N、P-R、T、U、W-Y"
        shown = describe_character(char)
        raise InvalidFormat(
            f"USCC: character {shown} at position {position} is not allowed ({hint_en})",
            f"统一社会信用代码第{position}位的字符 {shown} 不允许（{hint_zh}）",
            position=position,
            character=char,
        )


def calc_check_digit(number: str) -> str:
    """The check character for the first 17 characters (an 18th, if given, is ignored)."""
    number = compact(number)
    if len(number) not in (LENGTH - 1, LENGTH):
        raise InvalidLength(
            f"USCC: expected 17 characters (or 18 with the check character), got {len(number)}",
            f"统一社会信用代码本体应为17位（含校验码18位），实际为{len(number)}位",
        )
    body = number[: LENGTH - 1]
    _check_characters(body)
    return _check_character(body)


def _check_character(body: str) -> str:
    total = sum(_VALUES[char] * weight for char, weight in zip(body, _WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate(number: str) -> str:
    """Return the compact USCC if its length, characters and check character are right."""
    number = compact(number)
    if len(number) != LENGTH:
        raise InvalidLength(
            f"USCC: expected {LENGTH} characters, got {len(number)}",
            f"统一社会信用代码应为{LENGTH}位，实际为{len(number)}位",
        )
    _check_characters(number)
    if number[-1] != _check_character(number[:-1]):
        shown = describe_character(number[-1])
        raise InvalidChecksum(
            f"USCC: the check character {shown} does not match the first 17 characters",
            f"统一社会信用代码校验码 {shown} 与前17位不符",
            position=LENGTH,
            character=number[-1],
        )
    return number


def is_valid(number: str) -> bool:
    """Whether :func:`validate` accepts the USCC."""
    try:
        validate(number)
    except InvalidIdentifier:
        return False
    return True


def format(number: str) -> str:
    """The presentation form: the 18 characters without separators, as on the business licence."""
    return compact(number)
