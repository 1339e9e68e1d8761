"""An administrator changes a clerk's role (with the keyboard) and corrects a vehicle's registration fact,
in real headless Chromium; screenshots of the users page in Chinese and Arabic (right to left) go to
``test-artifacts/screenshots/<language>/users-manage.png``."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.db, pytest.mark.slow]


def _sign_in(page: Any, username: str, password: str) -> None:
    page.open("/app/login/")
    page.set_value("#id_username", username)
    page.set_value("#id_password", password)
    page.submit("form.stack")


def _press_enter_and_wait(page: Any, element: Any) -> None:
    """Submit with the keyboard (Enter on the focused button) and wait for the next page."""
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.keys import Keys

    old = page.css("html")
    element.send_keys(Keys.ENTER)

    def left(driver: Any) -> bool:
        try:
            old.is_enabled()
        except WebDriverException:
            return True
        return False

    page.wait(left)
    page.wait(lambda driver: driver.execute_script("return document.readyState") == "complete")


def test_administrator_changes_a_role_and_corrects_a_vehicle(page: Any, demo_login: Any) -> None:
    from django.contrib.auth import get_user_model
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    from chuhai.web.audit.models import AuditEvent
    from chuhai.web.organisations.models import Membership
    from chuhai.web.vehicles.models import Vehicle

    org, password = demo_login
    clerk = get_user_model().objects.get(username="demo-clerk")
    _sign_in(page, "demo-admin", password)

    # --- the role, by keyboard: the select is reached by its label, the button by Tab, sent with Enter
    page.open("/app/users/")
    assert page.html_attr("lang") == "zh-hans"
    row = f"#member-{clerk.pk}"
    label = page.css(f"label[for=role-{clerk.pk}]")
    assert "demo-clerk" in label.get_attribute("textContent")
    label.click()  # a click on the label focuses its select
    select = page.driver.switch_to.active_element
    assert select.get_attribute("id") == f"role-{clerk.pk}"
    Select(select).select_by_value("compliance")
    ActionChains(page.driver).send_keys(Keys.TAB).perform()
    button = page.driver.switch_to.active_element
    assert button.get_attribute("type") == "submit"
    _press_enter_and_wait(page, button)
    assert "demo-clerk" in page.messages()
    assert page.css(f"{row} .role").text == "合规专员"
    assert Membership.objects.get(user=clerk).role == "compliance"
    assert AuditEvent.objects.filter(transition="staff.role", object_id=clerk.membership.pk).exists()
    page.screenshot("zh-hans", "users-manage")

    # --- the same page in Arabic, right to left
    from selenium.webdriver.support.ui import Select as LanguageSelect

    LanguageSelect(page.css("#lang-select")).select_by_value("ar")
    page.submit("form.lang")
    page.open("/app/users/")
    assert page.html_attr("dir") == "rtl"
    assert page.css(f"{row} .role").text == "مسؤول الامتثال"
    # mirrored: the username column sits right of the role column
    assert page.css(f"{row} th").rect["x"] > page.css(f"{row} .role").rect["x"]
    page.screenshot("ar", "users-manage")
    LanguageSelect(page.css("#lang-select")).select_by_value("zh-hans")
    page.submit("form.lang")

    # --- a registration fact of a purchased car: mortgaged after all
    car = Vehicle.objects.filter(organisation=org, state="purchased", encumbrance="none").first()
    assert "vehicle.encumbered" not in car.rules
    page.open(f"/app/vehicles/{car.pk}/")
    summary = page.css("#correct summary")
    summary.send_keys(Keys.ENTER)  # a <summary> opens with the keyboard
    assert page.css("#correct").get_attribute("open") is not None
    Select(page.css("#fact-encumbrance")).select_by_value("mortgage")
    page.set_value("#fact-odometer_km", "88,000")
    page.submit("#facts-form")
    assert "已重新筛查" in page.messages(), page.messages()
    car.refresh_from_db()
    assert car.encumbrance == "mortgage"
    assert car.odometer_km == 88000
    assert car.verdict == "blocked"
    assert page.css("#verdict").text == car.get_verdict_display()
    assert "登记信息已更正并重新筛查" in page.css("#h-history ~ .table-wrap").text
    assert page.all('a[href="/app/rules/vehicle.encumbered/"]')
    page.screenshot("zh-hans", "vehicle-corrected")

    # --- an unreadable value is refused with the field and the value named
    page.css("#correct summary").click()
    page.set_value("#fact-odometer_km", "很多")
    page.submit("#facts-form")
    assert "很多" in page.messages()
    assert "里程" in page.messages()
    car.refresh_from_db()
    assert car.odometer_km == 88000
