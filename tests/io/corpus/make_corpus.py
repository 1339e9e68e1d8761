# ruff: noqa: E501 - the XML of big_xlsx is written out as Excel writes it, one part per line
"""The reader's corpus: stock files shaped as clerks, ERPs, Excel and LibreOffice really save them.

Run ``python -m tests.io.corpus.make_corpus`` to write ``tests/io/corpus/files/``: each file is
built here from rows (openpyxl for XLSX, the ``csv`` module and :meth:`str.encode` for text) and
the ``.xls`` and ``.ods`` copies are converted by LibreOffice (Debian ``libreoffice-calc-nogui``,
installed by ``scripts/test`` when missing). The files are committed, so the tests never need
LibreOffice; :data:`CORPUS` says, for each file, how many data rows it holds and how many of them
are non-vehicle rows (totals, repeated headers), which ``test_corpus`` checks against the reader.
"""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import openpyxl.utils
import openpyxl.utils.datetime

HERE = Path(__file__).parent / "files"

VINS = (
    "LVSHCAMB1CE012345",
    "LFV2A21K8C4012345",
    "LSVAM4187C2184847",
    "LHGCR2650E8000001",
    "LGBF5AE03LR000002",
    "LVGBE40K88G000003",
)
HEADER = [
    "车辆识别代号",
    "车辆品牌",
    "车辆型号",
    "燃料种类",
    "排量",
    "核定载客",
    "使用性质",
    "出厂日期",
    "注册登记日期",
]


def _vehicle(i: int) -> list[object]:
    return [VINS[i % len(VINS)], "丰田", f"GTM720{i}", "汽油", 1998, 5, "非营运", "2020-03-05", "2020-04-01"]


@dataclass(frozen=True)
class Entry:
    """One corpus file and what a reader must account for: the rows below its header(s) (all sheets
    read), how many are not vehicles (totals, repeated headers, the lower row of a two-row header)
    and how many are blank. Everything else is a vehicle: exactly one result each."""

    rows: int
    non_vehicle: int = 0
    blank: int = 0
    cli_args: tuple[str, ...] = ()


# What each file holds, written down from how build() makes it (not from what the reader says).
MANIFEST: dict[str, Entry] = {
    "plain.xlsx": Entry(4),
    "plain.xls": Entry(4),
    "plain.ods": Entry(4),
    "libreoffice-saved.xlsx": Entry(4),
    "utf16-unicode-text.txt": Entry(4),
    "cp936-euro.csv": Entry(3),
    "gb18030.csv": Entry(4),
    "gb18030-one-bad-byte.csv": Entry(4),
    "utf8-bom-semicolon.csv": Entry(4),
    "error-cells.xlsx": Entry(4),
    "error-cells.xls": Entry(4),
    "error-cells.ods": Entry(4),
    "numbers-and-spellings.xlsx": Entry(4),
    "date1904.xlsx": Entry(1),
    "erp-formula-text.csv": Entry(2),
    "clerk-headers.xlsx": Entry(5),
    "title-rows-and-blank-rows.xlsx": Entry(9, blank=3),
    "two-sheets.xlsx": Entry(6),
    "two-sheets.ods": Entry(6),
    "hidden-first-sheet.xlsx": Entry(4),
    "merged-two-row-header.xlsx": Entry(4, non_vehicle=1),
    "totals-and-repeated-header.xlsx": Entry(8, non_vehicle=2, blank=1),
    "totals-and-repeated-header.csv": Entry(8, non_vehicle=2, blank=1),
    "ragged-and-nul.csv": Entry(4),
}


def _xlsx(path: Path, sheets: dict[str, Sequence[Sequence[object]]], hidden: Sequence[str] = ()) -> None:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
        if title in hidden:
            sheet.sheet_state = "hidden"
    workbook.save(path)


def _csv_text(rows: Sequence[Sequence[object]], delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows(
        [["" if c is None else c for c in row] for row in rows]
    )
    return buffer.getvalue()


def _convert(source: Path, fmt: str, out: Path) -> None:
    """``.xls``/``.ods`` from an XLSX with LibreOffice (headless)."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit(
            "LibreOffice is needed to make the .xls/.ods corpus: apt-get install libreoffice-calc-nogui"
        )
    with tempfile.TemporaryDirectory() as profile, tempfile.TemporaryDirectory() as outdir:
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{profile}",
                "--headless",
                "--convert-to",
                fmt,
                "--outdir",
                outdir,
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
        produced = Path(outdir) / (source.stem + "." + fmt)
        shutil.move(str(produced), out)


def build(target: Path = HERE, *, office: bool = True) -> None:
    target.mkdir(parents=True, exist_ok=True)
    rows = [HEADER, *(_vehicle(i) for i in range(4))]

    # Formats (issue 9 item 6).
    _xlsx(target / "plain.xlsx", {"库存": rows})
    (target / "utf16-unicode-text.txt").write_bytes(_csv_text(rows, "\t").encode("utf-16"))
    euro = [[*HEADER, "备注"], *([*_vehicle(i), "报价 €12000"] for i in range(3))]
    # Windows code page 936 writes € as the single byte 0x80 (Python's "cp936" is plain GBK).
    text = _csv_text(euro)
    (target / "cp936-euro.csv").write_bytes(b"\x80".join(part.encode("gbk") for part in text.split("€")))
    (target / "gb18030.csv").write_bytes(_csv_text(rows).encode("gb18030"))
    damaged = _csv_text(rows).encode("gb18030").replace(b"GTM7202", b"GTM\xff202")
    (target / "gb18030-one-bad-byte.csv").write_bytes(damaged)
    # Excel error cells (item 3): openpyxl writes "#N/A" and the others as error cells (t="e").
    errors = [
        [*HEADER, "是否查封", "车主"],
        [*_vehicle(0), "#N/A", "重庆某某"],
        [*_vehicle(1), "否", "#REF!"],
        [*_vehicle(2), "#DIV/0!", "#VALUE!"],
        [*_vehicle(3), "#NAME?", "重庆某某"],
    ]
    _xlsx(target / "error-cells.xlsx", {"Sheet1": errors})

    # Numbers where text belongs (item 4): Excel serial dates under date headers, a VIN that Excel
    # turned into a number, ERP ="…" cells, spellings of displacement, power and dates.
    serial = [
        ["车辆识别代号", "出厂日期", "上牌日期", "排量", "功率"],
        [VINS[0], 43895, 43922.6, "2.0", "110kW"],  # 2020-03-05, 2020-04-01 14:24
        [1.23456789012345e16, 43895, 43922, "1.5T", "150马力"],
        [VINS[1], "20200305", "2020年4月1号", "1,598", "96 千瓦"],
        [VINS[3], "2020/3/5 下午 2:30:00", "2020-04-01", "2", "150hp"],
    ]
    _xlsx(target / "numbers-and-spellings.xlsx", {"Sheet1": serial})
    workbook = openpyxl.Workbook()
    workbook.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    sheet = workbook.active
    sheet.append(["车辆识别代号", "出厂日期"])
    sheet.append([VINS[0], 42433])  # 1904 system: 2020-03-05
    workbook.save(target / "date1904.xlsx")
    (target / "erp-formula-text.csv").write_text(
        _csv_text(
            [["车辆识别代号", "车辆品牌"], ['="LVSHCAMB1CE012345"', '="0012"'], ["1.23457E+16", "丰田"]]
        ),
        encoding="utf-8",
    )
    # Workbooks (item 7): two stock sheets and a notes sheet; a hidden first sheet; a two-row merged
    # header; totals rows and the header repeated mid-sheet.
    first = [HEADER, *(_vehicle(i) for i in range(3))]
    second = [HEADER, *([VINS[3 + i], *_vehicle(3 + i)[1:]] for i in range(3))]
    _xlsx(
        target / "two-sheets.xlsx", {"说明": [["填表说明"], ["每行一辆车"]], "库存1": first, "库存2": second}
    )
    _xlsx(
        target / "hidden-first-sheet.xlsx",
        {"字典": [["车辆识别代号", "使用性质"], ["示例VIN", "非营运"]], "库存": rows},
        hidden=["字典"],
    )
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "库存"
    sheet.append(["某某公司库存车辆明细"])
    sheet.append(["车辆识别代号", "车辆信息", None, "发动机", None, "注册登记日期"])
    sheet.append([None, "车辆品牌", "车辆型号", "排量", "功率", None])
    for i in range(3):
        sheet.append([VINS[i], "丰田", f"GTM720{i}", 1998, 110, "2020-04-01"])
    sheet.merge_cells("A1:F1")
    sheet.merge_cells("A2:A3")
    sheet.merge_cells("B2:C2")
    sheet.merge_cells("D2:E2")
    sheet.merge_cells("F2:F3")
    workbook.save(target / "merged-two-row-header.xlsx")
    totals = [
        HEADER,
        *(_vehicle(i) for i in range(3)),
        HEADER,  # a second block pasted below the first, with its header
        *([VINS[3 + i], *_vehicle(3 + i)[1:]] for i in range(2)),
        [None],
        ["合计：5辆", None, None, None, 9990, 25, None, None, None],
    ]
    _xlsx(target / "totals-and-repeated-header.xlsx", {"库存": totals})
    (target / "totals-and-repeated-header.csv").write_bytes(_csv_text(totals).encode("gb18030"))
    # Clerks' headers (item 2): synonyms, * marks, line breaks, full-width brackets, two VIN columns,
    # a column whose header only resembles a field (not used: its 是 must not count).
    clerk = [
        [
            "序号",
            "*车架号",
            "VIN码\n(必填)",
            "车主",
            "上牌日期",
            "是否查封",
            "抵押状态",
            "排量（L）",
            "是否被查封扣押过",
        ],
        *([i + 1, VINS[i][-6:], VINS[i], "重庆某某", "2020/4/1", "否", "无", "2.0", "是"] for i in range(5)),
    ]
    _xlsx(target / "clerk-headers.xlsx", {"Sheet1": clerk})
    # Title rows above the header, blank rows between the vehicles.
    titled = [
        ["某某公司二手车出口库存表"],
        ["制表日期：2026-12-01"],
        [],
        HEADER,
        *(_vehicle(i) for i in range(3)),
    ]
    titled += [[None], _vehicle(3), _vehicle(4), [None], [None], _vehicle(5)]
    _xlsx(target / "title-rows-and-blank-rows.xlsx", {"库存": titled})
    (target / "utf8-bom-semicolon.csv").write_bytes(b"\xef\xbb\xbf" + _csv_text(rows, ";").encode("utf-8"))
    ragged = _csv_text([HEADER, *(_vehicle(i) for i in range(4))]).splitlines(keepends=True)
    ragged[2] = ragged[2].rstrip("\r\n") + ",多余1,多余2\r\n"  # more cells than the header
    ragged[3] = ragged[3].replace("丰田", "丰\x00田")  # a NUL byte in a cell
    (target / "ragged-and-nul.csv").write_bytes("".join(ragged).encode("utf-8"))
    if office:
        _convert(target / "two-sheets.xlsx", "ods", target / "two-sheets.ods")
        _convert(target / "plain.xlsx", "xls", target / "plain.xls")
        _convert(target / "plain.xlsx", "ods", target / "plain.ods")
        _convert(target / "plain.ods", "xlsx", target / "libreoffice-saved.xlsx")
        _convert(target / "error-cells.xlsx", "xls", target / "error-cells.xls")
        _convert(target / "error-cells.xlsx", "ods", target / "error-cells.ods")
    written = {p.name for p in target.iterdir()}
    assert written == set(MANIFEST), written ^ set(MANIFEST)


if __name__ == "__main__":
    build()


def big_xlsx(path: Path, rows: int, *, columns: int = 27) -> Path:
    """An XLSX of ``rows`` identical vehicle rows of ``columns`` shared-string cells, written
    straight as XML (a million rows in seconds): the shape of the 6 MB, million-row file that once
    took 10 GB to read. Compressed about 150:1, it passes the zip-bomb check."""
    strings = ["车辆识别代号", *(f"列{i}" for i in range(1, columns)), "LVSHCAMB1CE012345", "丰田"]
    letters = [openpyxl.utils.get_column_letter(i + 1) for i in range(columns)]
    shared = "".join(f"<si><t>{s}</t></si>" for s in strings)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "xl/workbook.xml",
            '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="库存" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>",
        )
        archive.writestr(
            "xl/sharedStrings.xml",
            '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"{shared}</sst>",
        )
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            last = f"{letters[-1]}{rows + 1}"
            sheet.write(
                '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                f'<dimension ref="A1:{last}"/><sheetData>'.encode()
            )
            head = "".join(f'<c r="{c}1" t="s"><v>{i}</v></c>' for i, c in enumerate(letters))
            sheet.write(f'<row r="1">{head}</row>'.encode())
            vin, brand = columns, columns + 1
            batch: list[str] = []
            for r in range(2, rows + 2):
                cells = "".join(
                    f'<c r="{c}{r}" t="s"><v>{vin if i == 0 else brand}</v></c>'
                    for i, c in enumerate(letters)
                )
                batch.append(f'<row r="{r}">{cells}</row>')
                if len(batch) == 10_000:
                    sheet.write("".join(batch).encode())
                    batch = []
            sheet.write(("".join(batch) + "</sheetData></worksheet>").encode())
    return path
