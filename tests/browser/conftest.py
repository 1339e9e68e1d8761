"""Real headless Chromium (Debian ``chromium`` + ``chromium-driver``, never a downloaded browser) driven by
Selenium against pytest-django's live server. Without Chromium the tests skip locally and FAIL in CI
(``CI=true``), so a pipeline cannot go green without running them."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuhai.web.settings")
os.environ.setdefault("CHUHAI_DATA_DIR", tempfile.mkdtemp(prefix="chuhai-browser-tests-"))
os.environ.setdefault("CHUHAI_HUEY_IMMEDIATE", "1")
os.environ.setdefault("CHUHAI_SECRET_KEY", "tests-only-not-secret")
# The test client and the live server speak plain HTTP; tests/web/test_security.py checks the redirect.
os.environ.setdefault("CHUHAI_SSL_REDIRECT", "0")

import django

django.setup()

CHROMIUM = os.environ.get("CHUHAI_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHUHAI_CHROMEDRIVER", "/usr/bin/chromedriver")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots"
DESKTOP = (1280, 900)
PHONE = (390, 844)


def _on_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture(autouse=True)
def _fast_hashers(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the session (a fresh profile directory, removed afterwards)."""
    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not (Path(p).exists() or shutil.which(p))]
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        missing.append("selenium (pip install selenium==4.38.0)")
    if missing:
        message = (
            f"browser tests need {', '.join(missing)} (Debian: apt-get install chromium chromium-driver)"
        )
        if _on_ci():
            pytest.fail(message + " — CI=true: browser tests must not be skipped")
        pytest.skip(message)
    profile = tempfile.mkdtemp(prefix="chuhai-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profile}",
        f"--window-size={DESKTOP[0]},{DESKTOP[1]}",
        "--lang=zh-CN",
        "--force-device-scale-factor=1",
    ):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"intl.accept_languages": "zh-CN,zh"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.implicitly_wait(0)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture
def page(browser: Any, live_server: Any, transactional_db: Any, settings: Any) -> Iterator[Any]:
    """The browser, signed out, with helpers bound to this test's live server."""
    settings.SESSION_COOKIE_SECURE = False  # plain-HTTP live server
    settings.CSRF_COOKIE_SECURE = False
    browser.delete_all_cookies()
    browser.set_window_size(*DESKTOP)
    yield Page(browser, live_server.url)
    browser.delete_all_cookies()


class Page:
    """Small helpers over the Selenium driver: open, find, fill, wait and screenshot."""

    def __init__(self, driver: Any, base: str) -> None:
        self.driver = driver
        self.base = base

    def open(self, path: str) -> None:
        self.driver.get(self.base + path)

    def css(self, selector: str) -> Any:
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, selector)

    def all(self, selector: str) -> list[Any]:
        from selenium.webdriver.common.by import By

        return list(self.driver.find_elements(By.CSS_SELECTOR, selector))

    def wait(self, condition: Any, timeout: float = 20) -> Any:
        from selenium.webdriver.support.ui import WebDriverWait

        return WebDriverWait(self.driver, timeout).until(condition)

    def wait_text(self, selector: str, text: str, timeout: float = 20) -> None:
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ec

        self.wait(ec.text_to_be_present_in_element((By.CSS_SELECTOR, selector), text), timeout)

    def html_attr(self, name: str) -> str:
        return str(self.css("html").get_attribute(name))

    def set_value(self, selector: str, value: str) -> None:
        """Type into a text field; date fields are set directly (their typing order depends on locale)."""
        element = self.css(selector)
        if element.get_attribute("type") == "date":
            self.driver.execute_script("arguments[0].value = arguments[1];", element, value)
        else:
            element.clear()
            element.send_keys(value)

    def submit(self, form_selector: str) -> None:
        """Press the form's submit button (as a person would) and wait for the next page."""
        from selenium.common.exceptions import WebDriverException

        button = self.css(f"{form_selector} button[type=submit]")
        old = self.css("html")
        button.click()

        def left(driver: Any) -> bool:
            # Chromium may answer "Node … does not belong to the document" instead of a stale-element
            # error while the next page replaces the old one: both mean the old page is gone.
            try:
                old.is_enabled()
            except WebDriverException:
                return True
            return False

        self.wait(left)
        self.wait(lambda driver: driver.execute_script("return document.readyState") == "complete")

    def messages(self) -> str:
        return " ".join(e.text for e in self.all(".messages .msg"))

    def resize(self, width: int, height: int) -> None:
        """Resize the window and wait until the page has been laid out at the new width: Chromium
        answers set_window_size before the layout follows, and a measure taken in between is wrong."""
        self.driver.set_window_size(width, height)
        self.wait(
            lambda d: d.execute_async_script(
                "const done = arguments[arguments.length - 1];"
                "requestAnimationFrame(() => requestAnimationFrame(() =>"
                " done(window.innerWidth === arguments[0])));",
                width,
            )
        )

    def screenshot(self, language: str, name: str, phone: bool = False) -> Path:
        """The whole page (window stretched to the document's height) into test-artifacts/screenshots."""
        width, height = PHONE if phone else DESKTOP
        self.resize(width, height)
        full = int(self.driver.execute_script("return document.documentElement.scrollHeight"))
        self.resize(width, min(max(full, height), 5000))
        folder = SCREENSHOTS / language
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}{'-phone' if phone else ''}.png"
        self.driver.save_screenshot(str(path))
        self.resize(*DESKTOP)
        return path


@pytest.fixture
def demo_login(transactional_db: Any) -> Any:
    """Load the demo enterprise and give its users a known password; returns (organisation, password)."""
    from django.contrib.auth import get_user_model

    from chuhai.web.cases.demo import load_demo

    org = load_demo(out=lambda _line: None)
    password = "browser-test-pass-1"
    for user in get_user_model().objects.filter(username__startswith="demo-"):
        user.set_password(password)
        user.save()
    return org, password
