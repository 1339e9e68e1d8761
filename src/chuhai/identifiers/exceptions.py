"""The small exception tree of the identifier modules, mirroring ``stdnum.exceptions``.

Every ``validate`` in :mod:`chuhai.identifiers` raises one of these and nothing else, so a caller
(the vehicle-file reader, a form, the CLI) can catch :class:`InvalidIdentifier` and report the
English ``message`` or the Chinese ``message_zh`` without knowing which identifier failed.
``InvalidIdentifier`` is a :class:`chuhai.errors.ValidationError`, so the adapters map it like
every other invalid value; the inherited ``code`` stays ``invalid_value`` for that reason, and
the finer cause is in ``kind``.

>>> error = InvalidLength("VIN: expected 17 characters, got 16", "车辆识别代号应为17位，实际为16位")
>>> isinstance(error, InvalidFormat), error.kind, str(error)
(True, 'length', 'VIN: expected 17 characters, got 16')
>>> error.message_zh
'车辆识别代号应为17位，实际为16位'
"""

from __future__ import annotations

from chuhai.errors import ValidationError

__all__ = ["InvalidChecksum", "InvalidComponent", "InvalidFormat", "InvalidIdentifier", "InvalidLength"]


class InvalidIdentifier(ValidationError):
    """An identifier (VIN, USCC, commodity code) is invalid. Raise a subclass, not this.

    ``position`` (1-based) and ``character`` name the offending character when there is one.
    """

    kind = "identifier"
    default_message = "The identifier is invalid."
    default_message_zh = "编号无效。"

    def __init__(
        self,
        message: str | None = None,
        message_zh: str | None = None,
        *,
        position: int | None = None,
        character: str | None = None,
    ) -> None:
        self.message = message or self.default_message
        self.message_zh = message_zh or self.default_message_zh
        self.position = position
        self.character = character
        super().__init__(self.message)


class InvalidFormat(InvalidIdentifier):
    """A character or delimiter is not allowed, or a required part is missing."""

    kind = "format"
    default_message = "The identifier has an invalid format."
    default_message_zh = "编号格式无效。"


class InvalidLength(InvalidFormat):
    """The identifier has the wrong number of characters (a kind of format error, as in stdnum)."""

    kind = "length"
    default_message = "The identifier has an invalid length."
    default_message_zh = "编号长度无效。"


class InvalidChecksum(InvalidIdentifier):
    """The check character does not match the rest of the identifier."""

    kind = "checksum"
    default_message = "The identifier's check character is invalid."
    default_message_zh = "编号校验位无效。"


class InvalidComponent(InvalidIdentifier):
    """A part of the identifier refers to something that does not exist (a code, a date)."""

    kind = "component"
    default_message = "A part of the identifier is invalid or unknown."
    default_message_zh = "编号的某一部分无效或未知。"


def describe_character(char: str) -> str:
    """Name a character so that invisible and look-alike ones are visible in a message.

    >>> describe_character("I"), describe_character("\\x00"), describe_character("А")
    ("'I'", "'\\\\x00' (U+0000)", "'А' (U+0410)")
    """
    if char.isascii() and char.isprintable():
        return repr(char)
    return f"{char!r} (U+{ord(char):04X})"
