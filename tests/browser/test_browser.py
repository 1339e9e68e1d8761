"""The whole chain by clicking, in real headless Chromium, and every main page in each language.

Screenshots go to ``test-artifacts/screenshots/<language>/`` (not committed): look at them, especially
Arabic (right to left) and the phone-width ones.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.db, pytest.mark.slow]


def sign_in(page: Any, username: str, password: str) -> None:
    page.open("/app/login/")
    page.set_value("#id_username", username)
    page.set_value("#id_password", password)
    page.submit("form.stack")


def switch_language(page: Any, code: str) -> None:
    from selenium.webdriver.support.ui import Select

    Select(page.css("#lang-select")).select_by_value(code)
    page.submit("form.lang")


def stock_csv(path: Path, organisation: str, day: dt.date, n: int = 30) -> tuple[Path, set[str]]:
    """A synthetic stock file with Chinese column headers (as staff export them from their systems)."""
    from chuhai.schema import COLUMNS
    from chuhai.synthetic import stock_frame

    frame = stock_frame(n, day, organisation, seed=11)
    frame = frame.filter(~frame["vin"].str.ends_with("I"))  # drop the generator's deliberate typos
    chinese = {
        name: next((a for a in COLUMNS[name].aliases if re.search("[\u4e00-\u9fff]", a)), name)
        for name in frame.columns
        if name in COLUMNS
    }
    frame.rename(chinese).write_csv(path)
    return path, set(frame["vin"].to_list())


def test_whole_chain_by_clicking_in_chinese(page: Any, demo_login: Any, tmp_path: Path) -> None:
    """Sign in, upload a stock file and see its verdicts, plan and submit a licence, issue it, declare,
    clear and deregister a car — in the default language, Simplified Chinese."""
    from chuhai.web.cases.context import today

    org, password = demo_login
    page.open("/app/")
    assert page.html_attr("lang") == "zh-hans"
    page.screenshot("zh-hans", "chain-1-login")
    sign_in(page, "demo-compliance", password)
    assert page.css("h1").text == "概览"

    page.open("/app/imports/")
    path, vins = stock_csv(tmp_path / "库存.csv", org.name, today())
    page.css("#id_file").send_keys(str(path))
    page.submit("#upload-form")
    page.wait_text("#job-state", "成功")
    assert "导入车辆的筛查结论" in page.css("main").text
    assert page.all("#h-verdicts ~ .verdict-summary .badge")
    page.screenshot("zh-hans", "chain-2-import")

    page.open("/app/licences/plan/")
    for box in page.all("input[name=batch]"):
        if box.is_selected():
            box.click()
    ours = [
        batch.find_element("css selector", "input[name=batch]")
        for batch in page.all("fieldset.batch")
        if any(vin in batch.get_attribute("textContent") for vin in vins)
        and batch.find_element("css selector", "input[name=batch]").get_attribute("data-contract") == "1"
    ]
    assert ours, "no planned licence with an export contract holds an uploaded vehicle"
    ours[0].click()
    page.screenshot("zh-hans", "chain-3-licence-plan")
    page.submit("main form")
    assert "草稿" in page.css("#licence-state").text
    page.submit("form[data-step=submit]")
    assert "已提交" in page.css("#licence-state").text, page.messages()
    page.set_value("#issue-licence_number", "26CQ900001")
    page.submit("form[data-step=issue]")
    assert "已签发" in page.css("#licence-state").text, page.messages()
    page.screenshot("zh-hans", "chain-4-licence-issued")
    page.set_value("#declare-port", "重庆铁路口岸")
    page.submit("form[data-step=declare]")
    page.set_value("#file-declaration_number", "800120260000009001")
    page.submit("form[data-step=file]")
    assert "已申报" in page.css("#declaration-state").text, page.messages()
    page.set_value("#clear-clearance_date", today().isoformat())
    page.submit("form[data-step=clear]")
    assert "已结关" in page.css("#declaration-state").text, page.messages()
    page.screenshot("zh-hans", "chain-5-declaration-cleared")

    item = next(d for d in page.all("details.item") if any(v in d.get_attribute("textContent") for v in vins))
    item.find_element("css selector", "summary").click()
    item.find_element("css selector", "a").click()
    page.wait_text("#state", "已结关")
    page.set_value("#deregister-deregistered_on", today().isoformat())  # the step asks for its date
    page.submit("form[data-step=deregister]")
    assert "已注销" in page.css("#state").text, page.messages()
    assert "登记注销" in page.css("#h-history ~ .table-wrap").text
    page.screenshot("zh-hans", "chain-6-vehicle-deregistered")


PAGES = (
    ("dashboard", "/app/"),
    ("vehicles", "/app/vehicles/"),
    ("imports", "/app/imports/"),
    ("licences", "/app/licences/"),
    ("declarations", "/app/declarations/"),
    ("deadlines", "/app/deadlines/"),
    ("enterprise", "/app/enterprise/"),
    ("users", "/app/users/"),
    ("rules", "/app/rules/"),
    ("rule", "/app/rules/vehicle.aftersales_confirmation_required/"),
    ("rule-scrapping", "/app/rules/vehicle.scrap_reached/"),
)
NAV_DASHBOARD = {"zh-hans": "概览", "en": "Dashboard", "ru": "Обзор", "ar": "لوحة المتابعة"}


@pytest.mark.parametrize("language", ["zh-hans", "en", "ru", "ar"])
def test_each_language_on_every_main_page(page: Any, demo_login: Any, language: str) -> None:
    """Switch the language with the selector on the page; every main page follows it (Arabic right to
    left), nothing spills sideways on a phone, and the first Tab lands on "skip to content"."""
    from selenium.webdriver.common.keys import Keys

    from chuhai.web.licences.models import LicenceApplication
    from chuhai.web.vehicles.models import Vehicle

    org, password = demo_login
    sign_in(page, "demo-admin", password)
    if language != "zh-hans":
        switch_language(page, language)
    assert page.html_attr("lang") == language
    assert page.html_attr("dir") == ("rtl" if language == "ar" else "ltr")
    blocked = Vehicle.objects.filter(organisation=org, verdict="blocked").first()
    licence = LicenceApplication.objects.filter(organisation=org, state="issued").first()
    pages = [
        *PAGES,
        ("vehicle", f"/app/vehicles/{blocked.pk}/"),
        ("licence", f"/app/licences/{licence.pk}/"),
    ]
    for name, path in pages:
        page.open(path)
        assert page.html_attr("lang") == language, path
        assert page.css("nav[aria-label] a[aria-current=page], nav a").text
        assert NAV_DASHBOARD[language] in page.css("header nav").text
        page.screenshot(language, name)
        if name in ("dashboard", "vehicles", "vehicle", "licence"):
            page.resize(390, 844)
            overflow = page.driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            page.screenshot(language, name, phone=True)
            assert overflow <= 1, f"{language} {name}: page is {overflow}px wider than a phone"
    # keyboard: the first Tab reaches the skip link, which moves focus to the main content
    page.open("/app/")
    page.css("body").send_keys(Keys.TAB)
    focused = page.driver.switch_to.active_element
    assert focused.get_attribute("class") == "skip"
    focused.send_keys(Keys.ENTER)
    assert page.driver.switch_to.active_element.get_attribute("id") == "main"
    if language == "ar":  # mirrored: the brand sits at the right edge, the tools at the left
        brand = page.css(".brand").rect
        tools = page.css(".tools").rect
        assert brand["x"] > tools["x"]


def test_sign_in_error_and_empty_enterprise(page: Any, transactional_db: Any) -> None:
    """A wrong password says what to do; a new enterprise's pages say how to start."""
    from chuhai.identifiers import uscc
    from chuhai.web.organisations.models import Organisation
    from chuhai.web.organisations.services import create_user

    base = "91440300MA5FB7W8X"
    org = Organisation.objects.create(
        name="深圳新出口有限公司", uscc=base + uscc.calc_check_digit(base), enterprise_kind="circulation"
    )
    create_user(org, "new-admin", "a-long-password-1", "admin")
    page.open("/app/login/")
    switch_language(page, "en")
    page.set_value("#id_username", "new-admin")
    page.set_value("#id_password", "wrong")
    page.submit("form.stack")
    assert "Wrong username or password" in page.css("[role=alert]").text
    sign_in(page, "new-admin", "a-long-password-1")
    assert "No vehicles yet" in page.css("main").text
    page.css(".empty-state a.button").click()
    assert page.css("h1").text == "Stock files"
    page.screenshot("en", "empty-imports")
