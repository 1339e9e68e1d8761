"""Identifiers, one module each in the style of python-stdnum (STYLE.md principle 4).

* :mod:`chuhai.identifiers.vin`: vehicle identification number (GB 16735 / ISO 3779), the
  three-state check digit, model-year candidates and the project's WMI table;
* :mod:`chuhai.identifiers.uscc`: unified social credit code (GB 32100-2015);
* :mod:`chuhai.identifiers.commodity`: China customs commodity code (10 digits);
* :mod:`chuhai.identifiers.customs_declaration`: customs declaration number (18 digits).

Each has ``compact``, ``validate``, ``is_valid`` and ``format``; every ``validate`` raises only
the :mod:`chuhai.identifiers.exceptions` tree, whose base :class:`InvalidIdentifier` is a
:class:`chuhai.errors.ValidationError`. Import the module you need:
``from chuhai.identifiers import vin``.
"""

import unicodedata
from collections.abc import Mapping

from chuhai.identifiers.exceptions import (
    InvalidChecksum,
    InvalidComponent,
    InvalidFormat,
    InvalidIdentifier,
    InvalidLength,
)

__all__ = [
    "InvalidChecksum",
    "InvalidComponent",
    "InvalidFormat",
    "InvalidIdentifier",
    "InvalidLength",
    "clean",
]

# Invisible formatting characters that spreadsheets and web pages paste along with a value:
# zero-width space and joiners, left-to-right and right-to-left marks, word joiner, byte-order mark.
INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"


def clean(text: str, drop: Mapping[int, None]) -> str:
    """The shared first step of every ``compact``: NFKC, drop characters, drop whitespace, upper-case.

    NFKC reads full-width letters and digits (as typed with a Chinese input method) as ASCII and
    turns the ideographic space U+3000 into a space; ``str.split`` then removes all Unicode
    whitespace, including tabs and line breaks from spreadsheet cells.

    >>> clean("\u3000ｌｒｗ 3-e\u200b", dict.fromkeys(map(ord, "-" + INVISIBLE)))
    'LRW3E'
    """
    if not isinstance(text, str):
        raise InvalidFormat(
            f"expected text, got {type(text).__name__}", f"应为文本，实际为 {type(text).__name__}"
        )
    return "".join(unicodedata.normalize("NFKC", text).translate(drop).split()).upper()
