"""The site administrator pastes a holiday notice, previews it and applies it, in real headless Chromium;
then an enterprise member sees on the dashboard that the law changed and how many of their vehicles
changed verdict. Screenshots of the preview (Chinese, Arabic) go to
``test-artifacts/screenshots/<language>/law-notice-preview.png``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chuhai import lawbook

pytestmark = [pytest.mark.browser, pytest.mark.db, pytest.mark.slow]

# INVENTED for the test (no 2027 notice exists as of 2026-12-07): 2027's weekdays, the real wording.
SYNTHETIC_2027 = (
    "国务院办公厅关于2027年部分节假日安排的通知\n"
    "经国务院批准，现将2027年元旦、春节放假调休日期的具体安排通知如下。\n"
    "一、元旦：1月1日（周五）至3日（周日）放假，共3天。\n"
    "二、春节：2月6日（周六）至12日（周五）放假调休，共7天。2月20日（周六）上班。\n"
    "国务院办公厅\n"
    "2026年11月20日\n"
)


def _sign_in(page: Any, username: str, password: str) -> None:
    page.open("/app/login/")
    page.set_value("#id_username", username)
    page.set_value("#id_password", password)
    page.submit("form.stack")


def _click_and_wait(page: Any, selector: str) -> None:
    from selenium.common.exceptions import WebDriverException

    old = page.css("html")
    page.css(selector).click()

    def left(driver: Any) -> bool:
        try:
            old.is_enabled()
        except WebDriverException:
            return True
        return False

    page.wait(left)
    page.wait(lambda driver: driver.execute_script("return document.readyState") == "complete")


def _paste(page: Any, selector: str, text: str) -> None:
    """Put text into a field as a paste would (all at once; typing CJK through the driver is slow)."""
    element = page.css(selector)
    page.driver.execute_script(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input'));", element, text
    )


def test_site_administrator_imports_a_notice(
    page: Any, demo_login: Any, tmp_path: Path, fresh_lawbook: None
) -> None:
    from django.contrib.auth import get_user_model

    from chuhai.web.lawbook.models import LawChange

    lawbook.configure(tmp_path / "law")
    _org, password = demo_login
    get_user_model().objects.create_user("site-admin", password=password, is_staff=True)
    before = lawbook.current().version

    _sign_in(page, "site-admin", password)
    page.open("/app/law/")
    assert page.css("#law-version").text == before
    _click_and_wait(page, "a[href='/app/law/notice/']")
    _paste(page, "#n-text", SYNTHETIC_2027)
    page.set_value("#n-url", "https://www.gov.cn/zhengce/content/2027-test.htm")

    # A refusal first: a weekday that does not match its date is named, nothing is written.
    _paste(page, "#n-text", SYNTHETIC_2027.replace("（周五）至3日", "（周四）至3日"))
    _click_and_wait(page, "#n-preview")
    assert "周四" in page.css("#notice-error").text
    assert not page.all("#n-apply")

    _paste(page, "#n-text", SYNTHETIC_2027)
    _click_and_wait(page, "#n-preview")
    assert page.css("#notice-year").text == "2027"
    holidays = page.css("#notice-holidays").text
    assert "元旦" in holidays
    assert "春节" in holidays
    assert "2027年2月20日" in page.css("#notice-workdays").text  # the make-up Saturday
    page.screenshot("zh-hans", "law-notice-preview")
    assert not (tmp_path / "law" / "calendar" / "cn-2027.yaml").exists()

    _click_and_wait(page, "#n-apply")
    assert (tmp_path / "law" / "calendar" / "cn-2027.yaml").exists()
    after = lawbook.current().version
    assert after != before
    assert page.css("#after-version").text == after
    change = LawChange.objects.get()
    assert change.screened > 0
    assert page.all("#verdict-changes")

    # An enterprise member: the dashboard says the law changed, and links to the list.
    page.driver.delete_all_cookies()
    _sign_in(page, "demo-readonly", password)
    page.open("/app/")
    notice = page.css("#law-change")
    assert "辆车的结论改变" in notice.text
    _click_and_wait(page, "#law-change a")
    assert page.css("#after-version").text == after

    # The preview in Arabic, right to left (the site administrator's language choice).
    page.driver.delete_all_cookies()
    _sign_in(page, "site-admin", password)
    from selenium.webdriver.support.ui import Select

    Select(page.css("#lang-select")).select_by_value("ar")
    _click_and_wait(page, "#lang-go")
    page.open("/app/law/notice/")
    assert page.html_attr("dir") == "rtl"
    _paste(page, "#n-text", SYNTHETIC_2027)
    page.set_value("#n-url", "https://www.gov.cn/zhengce/content/2027-test.htm")
    _click_and_wait(page, "#n-preview")
    assert "2027" in page.css("#notice-year").text
    page.screenshot("ar", "law-notice-preview")
