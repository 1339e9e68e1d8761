"""The calendar loader refuses malformed law files, naming the file and the key."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from chuhai.errors import CalendarDataMissing, LawError
from chuhai.workdays import CALENDAR_DIR, load_calendar, load_year_file

REAL_2026 = (CALENDAR_DIR / "cn-2026.yaml").read_text(encoding="utf-8")


def write(tmp_path: Path, text: str, name: str = "cn-2026.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def mutated(old: str, new: str, count: int = 1) -> str:
    assert REAL_2026.count(old) >= count, f"fixture text {old!r} not in cn-2026.yaml"
    return REAL_2026.replace(old, new, count)


def test_packaged_directory_loads_and_a_copy_loads_the_same(tmp_path: Path) -> None:
    shutil.copy(CALENDAR_DIR / "cn-2026.yaml", tmp_path)
    calendar = load_calendar(tmp_path)
    assert calendar.covered_years() == (2026,)
    assert calendar.add_workdays(dt.date(2026, 9, 30), 3) == dt.date(2026, 10, 10)
    with pytest.raises(
        CalendarDataMissing, match=re.escape("notice for 2025 in the law data (covered: 2026)")
    ):
        calendar.add_workdays(dt.date(2026, 1, 5), -2)


BAD_FILES = [
    # (what, old text, new text, key the error must name, words the error must contain)
    ("duplicate key", "year: 2026\n", "year: 2026\nyear: 2026\n", "'year'", "duplicate key"),
    (
        "duplicate key in an entry",
        "from: 2026-01-01, to: 2026-01-03",
        "from: 2026-01-01, from: 2026-01-02, to: 2026-01-03",
        "'from'",
        "duplicate key",
    ),
    (
        "unknown key",
        "  confidence: verified-in-source\n",
        "  confidence: verified-in-source\n  note: x\n",
        "notice",
        "unknown key(s) note",
    ),
    ("unknown key at root", "holidays:\n", "extra: 1\nholidays:\n", "(root)", "unknown key(s) extra"),
    (
        "missing key",
        "  title: 国务院办公厅关于2026年部分节假日安排的通知\n",
        "",
        "notice",
        "missing key(s) title",
    ),
    ("impossible date", "from: 2026-02-15", "from: 2026-02-30", "holidays[1].from", "not a valid date"),
    (
        "impossible month",
        "{date: 2026-05-09",
        "{date: 2026-13-09",
        "makeup_workdays[3].date",
        "not a valid date",
    ),
    ("quoted bad date", "to: 2026-02-23", "to: '2026-02-31'", "holidays[1].to", "expected a date"),
    (
        "date-time",
        "{date: 2026-05-09,",
        "{date: 2026-05-09 08:00:00,",
        "makeup_workdays[3].date",
        "date-time",
    ),
    ("text as date", "  date: 2025-11-04\n", "  date: early November\n", "notice.date", "expected a date"),
    (
        "date outside the year",
        "from: 2026-01-01, to: 2026-01-03, days: 3",
        "from: 2025-12-31, to: 2026-01-03, days: 4",
        "holidays[0].from",
        "outside the file's year 2026",
    ),
    (
        "makeup day on a Wednesday",
        "{date: 2026-01-04, for: 元旦}",
        "{date: 2026-01-07, for: 元旦}",
        "makeup_workdays[0].date",
        "Wednesday, not a weekend day",
    ),
    (
        "makeup day inside a holiday",
        "{date: 2026-01-04, for: 元旦}",
        "{date: 2026-01-03, for: 元旦}",
        "makeup_workdays[0].date",
        "also a rest day of 元旦",
    ),
    (
        "makeup day twice",
        "{date: 2026-02-28, for: 春节}",
        "{date: 2026-02-14, for: 春节}",
        "makeup_workdays[2].date",
        "appears twice",
    ),
    (
        "makeup for an unknown holiday",
        "{date: 2026-05-09, for: 劳动节}",
        "{date: 2026-05-09, for: 五一}",
        "makeup_workdays[3].for",
        "not a holiday of this file",
    ),
    (
        "days disagree with the period",
        "to: 2026-02-23, days: 9",
        "to: 2026-02-23, days: 8",
        "holidays[1].days",
        "says 8 but",
    ),
    (
        "period ends before it starts",
        "from: 2026-04-04, to: 2026-04-06, days: 3",
        "from: 2026-04-06, to: 2026-04-04, days: 3",
        "holidays[2].to",
        "before from",
    ),
    (
        "overlapping periods",
        "from: 2026-09-25, to: 2026-09-27, days: 3",
        "from: 2026-09-25, to: 2026-10-01, days: 7",
        "holidays[6]",
        "overlaps 中秋节",
    ),
    (
        "days as text",
        "to: 2026-01-03, days: 3",
        "to: 2026-01-03, days: three",
        "holidays[0].days",
        "whole number",
    ),
    ("year does not match file name", "year: 2026\n", "year: 2025\n", "year", "does not match the file name"),
    (
        "bad confidence",
        "confidence: verified-in-source",
        "confidence: sure",
        "notice.confidence",
        "expected one of",
    ),
    ("bad url", "  url: https://www.gov.cn/", "  url: www.gov.cn/", "notice.url", "http(s) URL"),
    ("empty holidays", None, None, "holidays", "is empty"),
    ("holidays not a list", None, None, "holidays", "expected a list"),
]


@pytest.mark.parametrize(("what", "old", "new", "key", "words"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_rejected_naming_file_and_key(
    tmp_path: Path, what: str, old: str | None, new: str | None, key: str, words: str
) -> None:
    if what == "empty holidays":
        text = re.sub(r"holidays:\n(?:  .*\n|  #.*\n)+", "holidays: []\n", REAL_2026)
        text = re.sub(r"makeup_workdays:\n(?:  .*\n)+", "makeup_workdays: []\n", text)
    elif what == "holidays not a list":
        text = re.sub(r"holidays:\n(?:  .*\n|  #.*\n)+", "holidays: {}\n", REAL_2026)
        text = re.sub(r"makeup_workdays:\n(?:  .*\n)+", "makeup_workdays: []\n", text)
    else:
        assert old is not None
        assert new is not None
        text = mutated(old, new)
    assert text != REAL_2026
    path = write(tmp_path, text)
    with pytest.raises(LawError) as info:
        load_year_file(path)
    message = str(info.value)
    assert str(path) in message
    assert key in message
    assert words in message
    # the directory loader refuses it the same way
    with pytest.raises(LawError, match=re.escape(str(path))):
        load_calendar(tmp_path)


def test_not_yaml_at_all(tmp_path: Path) -> None:
    path = write(tmp_path, "year: [2026\n")
    with pytest.raises(LawError, match=re.escape(f"{path}: cannot be read as YAML")):
        load_year_file(path)


def test_root_not_a_mapping(tmp_path: Path) -> None:
    path = write(tmp_path, "- 2026\n")
    with pytest.raises(LawError, match=re.escape(f"{path}: (root): expected a mapping")):
        load_year_file(path)


def test_misnamed_file_in_directory(tmp_path: Path) -> None:
    write(tmp_path, REAL_2026)
    stray = write(tmp_path, REAL_2026, name="2026.yaml")
    with pytest.raises(LawError, match=re.escape(f"{stray}: calendar files must be named cn-YYYY.yaml")):
        load_calendar(tmp_path)


def test_other_files_are_ignored_but_an_empty_directory_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("notes", encoding="utf-8")
    with pytest.raises(LawError, match="no calendar files"):
        load_calendar(tmp_path)
    with pytest.raises(LawError, match="not found"):
        load_calendar(tmp_path / "missing")


def test_gap_in_coverage(tmp_path: Path) -> None:
    """Covered years need not be consecutive; crossing the gap names the missing year."""
    shutil.copy(CALENDAR_DIR / "cn-2025.yaml", tmp_path)
    shutil.copy(CALENDAR_DIR / "cn-2026.yaml", tmp_path)
    # Fictional test data for a later year (not law): one holiday, no make-up day.
    write(
        tmp_path,
        "year: 2028\n"
        "notice: {title: test notice, date: 2027-11-01, url: https://example.org/n, confidence: inferred}\n"
        "holidays:\n  - {name_zh: 元旦, name_en: New Year's Day, from: 2028-01-01, to: 2028-01-01, days: 1}\n"
        "makeup_workdays: []\n",
        name="cn-2028.yaml",
    )
    calendar = load_calendar(tmp_path)
    assert calendar.covered_years() == (2025, 2026, 2028)
    assert calendar.add_workdays(dt.date(2028, 1, 1), 1) == dt.date(2028, 1, 3)
    expected = "no State Council holiday notice for 2027 in the law data (covered: 2025–2026, 2028)"
    with pytest.raises(CalendarDataMissing, match=re.escape(expected)):
        calendar.add_workdays(dt.date(2026, 12, 31), 1)
    with pytest.raises(CalendarDataMissing, match="2027"):
        calendar.workdays_between(dt.date(2026, 12, 1), dt.date(2028, 2, 1))
    with pytest.raises(CalendarDataMissing, match="2027"):
        calendar.workdays_between(dt.date(2028, 2, 1), dt.date(2026, 12, 1))
    with pytest.raises(CalendarDataMissing, match="2027"):
        calendar.add_workdays(dt.date(2028, 1, 3), -1)
