"""A thin writer over python-docx for the editable templates the enterprise prints and seals.

Chinese text gets an East Asian font, Arabic paragraphs are marked right-to-left the way Word
expects (``w:bidi`` on the paragraph, ``w:rtl`` and a bidi language on each run, a complex-script
font), and any run holding the missing-value marker is highlighted so nobody prints it unnoticed.
"""

from __future__ import annotations

from collections.abc import Sequence
from io import BytesIO
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

from chuhai.documents.messages import MISSING, RTL_LANGS

CellText = str | Sequence[tuple[str, str]]

_LATIN_FONT = "Times New Roman"
_EAST_ASIAN_FONT = "SimSun"
_COMPLEX_FONT = "Arial"
_BIDI_LANG = {"ar": "ar-SA"}
# Children of w:pPr that follow w:bidi (ECMA-376 CT_PPrBase sequence).
_PPR_AFTER_BIDI = (
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def _set_run_fonts(r_pr: Any) -> None:
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    fonts.set(qn("w:ascii"), _LATIN_FONT)
    fonts.set(qn("w:hAnsi"), _LATIN_FONT)
    fonts.set(qn("w:eastAsia"), _EAST_ASIAN_FONT)
    fonts.set(qn("w:cs"), _COMPLEX_FONT)


class Doc:
    """A document being written; :meth:`bytes` returns the DOCX."""

    def __init__(self, title: str | None = None) -> None:
        self.document: Any = Document()
        normal = self.document.styles["Normal"]
        normal.font.size = Pt(11)
        _set_run_fonts(normal.element.get_or_add_rPr())
        self.document.core_properties.title = title or ""
        self.document.core_properties.author = "Chuhai"

    def _paragraph(
        self, container: Any, text: str, lang: str, *, bold: bool, size: float | None, center: bool
    ) -> Any:
        paragraph = container.add_paragraph()
        if center:
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if lang in RTL_LANGS:
            # w:bidi must sit at its schema position inside w:pPr, before w:jc and the rest.
            p_pr = paragraph._p.get_or_add_pPr()
            p_pr.insert_element_before(OxmlElement("w:bidi"), *_PPR_AFTER_BIDI)
        lines = text.split("\n")
        for i, line in enumerate(lines):
            run = paragraph.add_run(line)
            run.bold = bold
            if size is not None:
                run.font.size = Pt(size)
            if MISSING in line:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
            if lang in RTL_LANGS:
                r_pr = run._r.get_or_add_rPr()
                r_pr.get_or_add_rtl()
                if bold:
                    r_pr.get_or_add_bCs()
                # w:lang follows w:rtl in the schema; nothing this module writes comes after it.
                lang_el = OxmlElement("w:lang")
                lang_el.set(qn("w:bidi"), _BIDI_LANG[lang])
                r_pr.append(lang_el)
            if i < len(lines) - 1:
                run.add_break()
        return paragraph

    def heading(self, text: str, lang: str = "zh", size: float = 16) -> None:
        self._paragraph(self.document, text, lang, bold=True, size=size, center=True)

    def para(self, text: str, lang: str = "zh", *, bold: bool = False, size: float | None = None) -> None:
        self._paragraph(self.document, text, lang, bold=bold, size=size, center=False)

    def table(
        self,
        header: Sequence[CellText],
        rows: Sequence[Sequence[CellText]],
        langs: Sequence[str] | None = None,
    ) -> None:
        """A grid table; ``langs`` gives each column's language (for RTL columns). A cell is a text in
        its column's language, or a sequence of (text, language) paragraphs for bilingual cells."""
        table = self.document.add_table(rows=0, cols=len(header))
        table.style = "Table Grid"
        column_langs = list(langs) if langs is not None else ["zh"] * len(header)
        for r, values in enumerate([list(header), *[list(row) for row in rows]]):
            cells = table.add_row().cells
            for c, value in enumerate(values):
                cell = cells[c]
                # add_row() leaves one empty paragraph per cell; write into it, then drop it.
                empty = cell.paragraphs[0]
                parts = [(value, column_langs[c])] if isinstance(value, str) else list(value)
                for text, lang in parts:
                    self._paragraph(cell, text, lang, bold=(r == 0), size=9, center=False)
                empty._p.getparent().remove(empty._p)

    def page_break(self) -> None:
        self.document.add_page_break()

    def bytes(self) -> bytes:
        buffer = BytesIO()
        self.document.save(buffer)
        return buffer.getvalue()
