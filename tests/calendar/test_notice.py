"""Reading State Council holiday notices (chuhai.lawbook.notice) on their real texts.

The fixtures in ``notices/`` are the notices for 2017–2026 as published (SOURCES.md). Each one read
must give, day by day, the calendar ``chinesecalendar`` 1.11.0 has for that year (an independent
transcription), and for 2025 and 2026 exactly the shipped calendar files.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import chinese_calendar
import pytest
from click.testing import CliRunner

from chuhai import lawbook, workdays
from chuhai.cli import main
from chuhai.errors import LawError, NoticeUnreadable
from chuhai.lawbook.notice import (
    apply_notice,
    check_yaml,
    default_confidence,
    notice_yaml,
    parse_notice,
    preview_notice,
)
from chuhai.workdays import DayKind, WorkdayCalendar, load_year_file

NOTICES = Path(__file__).parent / "notices"
READABLE = (2017, 2018, 2023, 2024, 2025, 2026)
URL = "https://www.gov.cn/zhengce/content/202511/content_7047090.htm"


pytestmark = pytest.mark.usefixtures("fresh_lawbook")


def _text(year: int) -> str:
    return (NOTICES / f"{year}.txt").read_text(encoding="utf-8")


def _calendar(year: int, text: str | None = None, tmp_path: Path | None = None) -> WorkdayCalendar:
    notice = parse_notice(text or _text(year))
    yaml_text = notice_yaml(notice, url=URL)
    assert tmp_path is not None
    path = tmp_path / f"cn-{year}.yaml"
    path.write_text(yaml_text, encoding="utf-8")
    return WorkdayCalendar({year: load_year_file(path)})


def _days(year: int) -> list[dt.date]:
    start = dt.date(year, 1, 1)
    return [start + dt.timedelta(days=i) for i in range((dt.date(year + 1, 1, 1) - start).days)]


# Days a year's own notice defines but the next year's notice changed (chinesecalendar has the later
# word): the 2019 notice made Saturday 2018-12-29 a working day and Monday 2018-12-31 a rest day.
CHANGED_LATER = {2018: {dt.date(2018, 12, 29), dt.date(2018, 12, 31)}}


@pytest.mark.parametrize("year", READABLE)
def test_every_day_of_a_read_notice_matches_chinese_calendar(year: int, tmp_path: Path) -> None:
    calendar = _calendar(year, tmp_path=tmp_path)
    wrong = {d for d in _days(year) if calendar.is_workday(d) != chinese_calendar.is_workday(d)}
    assert wrong == CHANGED_LATER.get(year, set())


@pytest.mark.parametrize("year", [2025, 2026])
def test_the_shipped_calendars_are_what_their_notices_say(year: int, tmp_path: Path) -> None:
    calendar = _calendar(year, tmp_path=tmp_path)
    shipped = workdays.default_calendar()
    assert [calendar.day_info(d).kind for d in _days(year)] == [shipped.day_info(d).kind for d in _days(year)]
    assert [(h.name_zh, h.name_en, h.start, h.end) for h in calendar.year(year).holidays] == [
        (h.name_zh, h.name_en, h.start, h.end) for h in shipped.year(year).holidays
    ]


def test_wordings_of_2017_and_2026() -> None:
    old, new = parse_notice(_text(2017)), parse_notice(_text(2026))
    # 2017: 星期日; 补休; 与周末连休; two festivals in one item; the signature date and number
    assert (old.date, old.number) == (dt.date(2016, 12, 1), "国办发明电〔2016〕17号")
    periods = {h.name_zh: (h.start.isoformat(), h.end.isoformat()) for h in old.holidays}
    assert periods["元旦"] == ("2017-01-01", "2017-01-02")  # 1月1日放假，1月2日（星期一）补休
    assert periods["劳动节"] == ("2017-04-29", "2017-05-01")  # 5月1日放假，与周末连休
    assert periods["中秋节、国庆节"] == ("2017-10-01", "2017-10-08")
    assert [h.name_en for h in old.holidays][-1] == "Mid-Autumn Festival and National Day"
    assert [w.date.isoformat() for w in old.makeup_workdays][:2] == ["2017-01-22", "2017-02-04"]
    assert any("2016-12-31" in r for r in old.remarks)  # the weekend day before, in 2016, is left out
    # 2026: 周日 and lunar annotations
    assert new.date == dt.date(2025, 11, 4)
    assert new.number is None
    assert next((w.date.isoformat(), w.holiday) for w in new.makeup_workdays) == ("2026-01-04", "元旦")


def test_an_encouraged_day_off_is_noted_not_made_a_holiday(tmp_path: Path) -> None:
    notice = parse_notice(_text(2024))
    assert any("除夕" in r and "not a rest day" in r for r in notice.remarks)
    assert _calendar(2024, tmp_path=tmp_path).is_workday(dt.date(2024, 2, 9))


def test_a_period_from_the_previous_year_keeps_its_own_days(tmp_path: Path) -> None:
    calendar = _calendar(2023, tmp_path=tmp_path)
    assert calendar.year(2023).holidays[0].start == dt.date(2023, 1, 1)  # 2022-12-31 was a Saturday
    assert calendar.day_info(dt.date(2023, 1, 2)).kind is DayKind.HOLIDAY


def test_a_notice_that_changes_the_previous_year_is_refused() -> None:
    with pytest.raises(
        NoticeUnreadable, match=r"changes the working days of 2018 \(2018-12-29 work; 2018-12-31 rest\)"
    ):
        parse_notice(_text(2019))


def test_ascii_punctuation_and_broken_lines_read_the_same() -> None:
    text = _text(2025)
    ascii_text = unicodedata.normalize("NFKC", text).replace("\n\n", "\n  \n")
    a, b = parse_notice(text), parse_notice(ascii_text)
    periods = [[(h.name_zh, h.name_en, h.start, h.end) for h in n.holidays] for n in (a, b)]
    assert periods[0] == periods[1]
    assert len(periods[0]) == 6
    assert a.makeup_workdays == b.makeup_workdays
    assert a.date == b.date


ITEM = "一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。"
HEAD = "国务院办公厅关于2026年部分节假日安排的通知\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("一、元旦：1月1日放假。", "no year"),
        (HEAD + ITEM.replace("（周四）", "（周五）"), "is a 周四, the notice says 周五"),
        (HEAD + ITEM.replace("共3天", "共4天"), "is 3 days, not 共4天"),
        (HEAD + ITEM.replace("1月4日（周日）", "1月5日（周一）"), "not a weekend day"),
        (HEAD + ITEM.replace("元旦", "圣诞节"), "圣诞节 is not a festival"),
        (HEAD + ITEM.replace("放假调休", "休息"), "cannot read"),
        (HEAD + ITEM + " i1A<0W|", "cannot read"),
        (HEAD + ITEM.replace("1月1日（周四）", "0月1日（周四）"), "not a date"),
        (HEAD + "一、元旦：1月1日放假，与周六连休。", "cannot read"),
        (HEAD + ITEM + "\n三、春节：2月15日至23日放假调休，共9天。", "not numbered"),
        (HEAD + "国务院办公厅关于2027年部分节假日安排的通知\n" + ITEM, "several years"),
        (HEAD + "一、元旦：1月1日（周四）至3日（农历冬月十三、下午）放假调休，共3天。", "annotation"),
        ("國務院辦公廳關於2026年部分節假日安排的通知\n一、元旦：1月1日至3日放假調休，共3天。", "no year"),
        (HEAD, "no item"),
    ],
)
def test_text_it_cannot_read_is_refused(text: str, message: str) -> None:
    with pytest.raises(NoticeUnreadable, match=message):
        parse_notice(text)


def test_the_written_file_is_the_calendar_format(tmp_path: Path) -> None:
    notice = parse_notice(_text(2026))
    text = notice_yaml(notice, url=URL, reprint="https://politics.gmw.cn/2025-11/04/content_38391083.htm")
    check_yaml(2026, text)
    assert "confidence: secondary-source" in text  # read from a reprint
    assert (
        "# 一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。" in text
    )  # as written
    assert default_confidence(URL, None) == "verified-in-source"
    assert default_confidence("https://m.gmw.cn/x", None) == "secondary-source"
    undated = parse_notice(HEAD + ITEM)
    with pytest.raises(NoticeUnreadable, match="--date"):
        notice_yaml(undated, url=URL)
    assert "date: 2025-11-04" in notice_yaml(undated, url=URL, date=dt.date(2025, 11, 4))
    with pytest.raises(NoticeUnreadable, match="URL"):
        notice_yaml(notice, url="gov.cn/x")


def test_apply_writes_into_the_local_directory_and_the_law_reads_it(tmp_path: Path) -> None:
    local = tmp_path / "law"
    notice = parse_notice(_text(2024))
    preview = preview_notice(notice, lawbook.load(local), url=URL)
    assert preview.replaces is None
    assert preview.target == "calendar/cn-2024.yaml"
    path = apply_notice(preview, local)
    assert path == local / "calendar" / "cn-2024.yaml"
    assert [p.name for p in (local / "calendar").iterdir()] == ["cn-2024.yaml"]  # nothing half-written left
    law = lawbook.load(local)
    assert 2024 in law.calendar.covered_years()
    assert "+local." in law.version
    assert law.calendar.add_workdays(dt.date(2024, 9, 30), 3) == dt.date(2024, 10, 10)


def test_replacing_a_year_needs_to_be_asked_for(tmp_path: Path) -> None:
    local = tmp_path / "law"
    same = preview_notice(parse_notice(_text(2026)), lawbook.load(local), url=URL)
    assert same.replaces == "shipped"
    assert same.changes == ()
    apply_notice(same, local)  # the same working days: allowed
    changed_text = _text(2026).replace("5月9日（周六）上班。", "")
    changed = preview_notice(parse_notice(changed_text), lawbook.load(local), url=URL)
    assert changed.changes == ((dt.date(2026, 5, 9), "makeup_workday", "weekend"),)
    with pytest.raises(LawError, match="--replace"):
        apply_notice(changed, local)
    apply_notice(changed, local, replace=True)
    assert not lawbook.load(local).calendar.is_workday(dt.date(2026, 5, 9))


def test_cli_import_end_to_end(tmp_path: Path) -> None:
    local = tmp_path / "law"
    runner = CliRunner()
    args = ["calendar", "import", str(NOTICES / "2024.txt"), "--url", URL, "--law-dir", str(local)]
    result = runner.invoke(main, [*args, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "rest   2024-02-10 … 2024-02-17   8 day(s)  春节" in result.output
    assert not local.exists()
    result = runner.invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output
    assert (local / "calendar" / "cn-2024.yaml").exists()
    result = runner.invoke(main, ["workdays", "add", "2024-09-30", "3", "--law-dir", str(local)])
    assert (result.exit_code, result.output.strip()) == (0, "2024-10-10")
    # GB18030 text and standard input
    gb = tmp_path / "2018.txt"
    gb.write_bytes(_text(2018).encode("gb18030"))
    result = runner.invoke(main, ["calendar", "import", str(gb), "--url", URL, "--law-dir", str(local)])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        main, ["calendar", "import", "-", "--url", URL, "--law-dir", str(local)], input=_text(2019)
    )
    assert result.exit_code == 2
    assert "changes the working days of 2018" in result.output
    result = runner.invoke(main, ["calendar", "import", str(NOTICES / "2017.txt"), "--url", URL])
    assert result.exit_code == 2
    assert "--law-dir" in result.output
