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
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import openpyxl

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
    """One corpus file: its data rows (below the header) and how many are not vehicles."""

    name: str
    data_rows: int
    non_vehicle_rows: int = 0
    sheets: tuple[str, ...] = ()


CORPUS: dict[str, Entry] = {}


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
    if office:
        _convert(target / "plain.xlsx", "xls", target / "plain.xls")
        _convert(target / "plain.xlsx", "ods", target / "plain.ods")


if __name__ == "__main__":
    build()
