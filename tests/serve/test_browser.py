"""The playground driven in headless Chromium as a person uses it: open the printed URL,
type into the editor, watch counts and a row change, see a typo's diagnostic and its
did-you-mean, open an explanation, edit a what-if cell, find hostile cells shown as text,
check the impact, save, and read the file back.

Needs Debian's `chromium` and `chromium-driver` and the `selenium` package (`make test`
installs all three).  Set ICP_SCREENSHOT_DIR=docs/images to refresh the screenshots that
docs/playground.md shows.
"""

from __future__ import annotations

import csv
import datetime
import os
import shutil
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from e2e.test_html_report_browser import FLAGS  # the headless flags the HTML report uses

import icpdsl
import icpdsl.io

from .conftest import icp_serve

AS_OF = "2025-06-15"
HOSTILE = [
    '<img src=x onerror="window.__pwned=1">',
    "<script>window.__pwned=2</script>",
    "\"quoted\" 'single' `tick`",
    "\u202eevil.exe",
]


def _chrome() -> tuple[str, str] | None:
    browser = os.environ.get("ICP_CHROMIUM") or shutil.which("chromium")
    driver = os.environ.get("ICP_CHROMEDRIVER") or shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


try:
    import selenium  # noqa: F401

    SELENIUM = True
except ImportError:  # pragma: no cover - depends on the environment
    SELENIUM = False

CHROME = _chrome()
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not SELENIUM or CHROME is None,
        reason="the browser test needs selenium and Debian's chromium and chromium-driver: "
        "`make test` installs them (pip install 'icpdsl[dev]'; apt-get install chromium "
        "chromium-driver), or set ICP_CHROMIUM and ICP_CHROMEDRIVER",
    ),
]


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    assert CHROME is not None
    options = webdriver.ChromeOptions()
    options.binary_location = CHROME[0]
    for flag in (*FLAGS, "--window-size=1440,1000", f"--user-data-dir={tmp_path / 'chromium'}"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # The Debian driver by path: Selenium Manager never looks for (or downloads) one.
    driver = webdriver.Chrome(service=Service(executable_path=CHROME[1]), options=options)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def project(tmp_path: Path, project: Path) -> Path:
    """The example project with a few hostile accounts at the end of its data."""
    data = project / "accounts.csv"
    with data.open(encoding="utf-8", newline="") as stream:
        header = next(csv.reader(stream))
    with data.open("a", encoding="utf-8", newline="") as stream:
        writer = csv.DictWriter(stream, header)
        for text in HOSTILE:
            writer.writerow({"id": text, "name": text, "industry": text, "employees": 500})
    return project


def test_a_person_edits_explains_what_ifs_and_saves(browser: Any, project: Path) -> None:
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    profile, data = project / "security.icp", project / "accounts.csv"
    data_before = data.read_bytes()
    original = profile.read_text(encoding="utf-8")
    edited = original.replace("employees 200..1000", "employees 100..1000")
    flipped, fits_before, fits_after = _flips(original, edited, data)
    process, url = icp_serve("security.icp", "accounts.csv", "--as-of", AS_OF, cwd=project)
    # the page redraws as answers arrive: an element found a moment ago may be gone
    wait = WebDriverWait(
        browser, 15, poll_frequency=0.05, ignored_exceptions=(StaleElementReferenceException,)
    )

    def until(check: Callable[[], Any], what: str) -> Any:
        return wait.until(lambda _: check(), message=what)

    def js(script: str, *args: Any) -> Any:
        return browser.execute_script(script, *args)

    def count(verdict: str) -> int:
        return int(
            js(
                "const b = document.querySelector('#counts [data-verdict=\"' + arguments[0]"
                " + '\"]'); return b ? b.dataset.count : -1",
                verdict,
            )
        )

    def status() -> str:
        return str(browser.find_element(By.ID, "status").text)

    def row_cells(number: int) -> list[str]:
        return [
            str(c)
            for c in js(
                "const tr = document.querySelector('#accounts tr[data-row=\"'"
                " + arguments[0] + '\"]'); return tr ? Array.from(tr.cells,"
                " c => c.textContent) : []",
                number,
            )
        ]

    def type_at(line_text: str, start: str, end: str, keys: str) -> None:
        """Select `start`..`end` of the line holding `line_text` and type `keys` over it."""
        js(
            "const cm = document.querySelector('.CodeMirror').CodeMirror;"
            "const line = cm.getValue().split('\\n').findIndex(l => l.includes(arguments[0]));"
            "const text = cm.getLine(line);"
            "const from = text.indexOf(arguments[1]), to = text.indexOf(arguments[2]) + "
            "arguments[2].length; cm.focus(); cm.setSelection({line, ch: from}, {line, ch: to});",
            line_text,
            start,
            end,
        )
        browser.find_element(By.CSS_SELECTOR, ".CodeMirror textarea").send_keys(keys)

    def search(text: str) -> None:
        box = browser.find_element(By.ID, "search")
        box.send_keys(Keys.CONTROL, "a")
        box.send_keys(Keys.BACKSPACE, text)

    try:
        browser.get(url)
        until(lambda: status().startswith("scored 70 accounts"), "the first scores")
        assert browser.current_url.endswith("/"), "the token stays out of the address bar"
        assert count("fit") == fits_before
        assert browser.find_elements(By.CSS_SELECTOR, ".CodeMirror .cm-keyword")  # highlighted

        # 1. type a change: the counts and the row follow
        type_at("employees 200..1000", "200", "200", "100")
        until(lambda: count("fit") == fits_after, f"fit count {fits_before} → {fits_after}")
        search(str(flipped))
        until(lambda: row_cells(flipped)[2:3] == ["fitwas not_fit"], "the changed row")
        _screenshot(browser, "playground.png")

        # 2. a typo: its diagnostic, with the did-you-mean, underlined in the editor
        type_at("require modern_stack", "modern_stack", "modern_stack", "modern_stak")
        typo = "#problems li[data-code='ICP111']"
        until(lambda: browser.find_elements(By.CSS_SELECTOR, typo), "the ICP111 diagnostic")
        problem = browser.find_element(By.CSS_SELECTOR, typo).text
        assert "'modern_stak' is read as a true/false field" in problem
        assert "hint: did you mean 'modern_stack'?" in problem
        assert browser.find_elements(By.CSS_SELECTOR, ".CodeMirror-lint-mark-warning")
        _screenshot(browser, "playground-diagnostic.png")
        type_at("require modern_stak", "modern_stak", "modern_stak", "modern_stack")
        until(lambda: not browser.find_elements(By.CSS_SELECTOR, typo), "the typo fixed")

        # 3. an explanation: every rule's mark, and the nearest miss
        search("")
        until(lambda: row_cells(2), "the first page again")
        browser.find_element(By.CSS_SELECTOR, "#accounts tr[data-row='2']").click()
        until(lambda: browser.find_elements(By.CSS_SELECTOR, "#explanation .rules"), "explain")
        marks = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#explanation td.mark")]
        assert "✓" in marks and "✗" in marks
        advice = browser.find_element(By.CSS_SELECTOR, "#explanation pre.advice").text
        assert advice.lstrip().startswith("to fit, change:") and "employees 40: needs" in advice

        # 4. what-if: edit cells of this account; the verdict follows, the file does not
        for column, value in (("employees", "500"), ("has_security_owner", "yes")):
            cell = browser.find_element(
                By.CSS_SELECTOR, f"#explanation input[data-column='{column}']"
            )
            cell.send_keys(Keys.CONTROL, "a")
            cell.send_keys(value, Keys.ENTER)
            until(
                lambda c=column: browser.find_elements(
                    By.CSS_SELECTOR, f"#explanation .edited input[data-column='{c}']"
                ),
                column,
            )
        until(
            lambda: browser.find_element(By.CSS_SELECTOR, "#explanation h3 .verdict").text == "fit",
            "the what-if verdict",
        )
        until(lambda: row_cells(2)[2].startswith("fit") and "✎" in row_cells(2)[1], "the row")
        js("document.getElementById('explanation').scrollTop = 0")
        _screenshot(browser, "playground-explain.png")
        assert data.read_bytes() == data_before

        # 5. hostile cells are text, not markup or script
        search("window.__pwned")
        until(lambda: len(browser.find_elements(By.CSS_SELECTOR, "#accounts tbody tr")) == 2, "")
        ids = [r[1] for r in (row_cells(67), row_cells(68))]
        assert ids == HOSTILE[:2]
        assert js("return window.__pwned") is None
        assert not browser.find_elements(By.CSS_SELECTOR, "#accounts img, #accounts script")
        search("evil")
        until(lambda: row_cells(70)[1:2] == ["\\u202eevil.exe"], "the bidi control made visible")
        search("quoted")
        until(lambda: row_cells(69)[1:2] == [HOSTILE[2]], "quotes as they are")
        search("")

        # 6. the impact against the file on disk
        browser.find_element(By.CSS_SELECTOR, "button[data-tab='impact']").click()
        heading = browser.find_element(By.ID, "impact-heading").text
        assert heading.startswith(f"{fits_after - fits_before} of 70 accounts change")
        _screenshot(browser, "playground-impact.png")

        # 7. save: the file holds the edit, formatted
        browser.find_element(By.ID, "save").click()
        until(lambda: status().startswith("saved"), "saved")
        assert profile.read_text(encoding="utf-8") == icpdsl.format(edited)
        errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
        assert not errors, errors
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.communicate(timeout=30)
        except subprocess.TimeoutExpired:  # pragma: no cover
            process.kill()


def _flips(original: str, edited: str, data: Path) -> tuple[int, int, int]:
    """The first account the edit turns from not_fit to fit, and the fit counts before
    and after (by the library, to hold the page to)."""
    day = datetime.date.fromisoformat(AS_OF)
    before, after = icpdsl.loads(original).profile, icpdsl.loads(edited).profile
    rows = list(icpdsl.io.read_records(data))
    old = [before.evaluate(r.record, as_of=day).verdict for r in rows if r.record]
    new = [after.evaluate(r.record, as_of=day).verdict for r in rows if r.record]
    flipped = next(i + 1 for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b)
    return flipped, old.count(icpdsl.Verdict.FIT), new.count(icpdsl.Verdict.FIT)


def _screenshot(browser: Any, name: str) -> None:
    keep = os.environ.get("ICP_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        browser.save_screenshot(str(Path(keep) / name))
