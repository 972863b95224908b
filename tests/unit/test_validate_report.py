"""icpdsl.validate.report and .html: the same figures as text, JSON and an HTML page."""

from __future__ import annotations

import datetime
import json
from html.parser import HTMLParser

import icpdsl
from icpdsl.validate.history import Account, History
from icpdsl.validate.html import render_html
from icpdsl.validate.metrics import validate
from icpdsl.validate.report import render_text, to_dict

AS_OF = datetime.date(2025, 6, 1)
TWO = """\
profile "Small" {
  employees ..100
  +10 if tech has Slack
}
profile "Large" {
  employees 101..
}
"""


def history() -> History:
    accounts = []
    for number in range(1, 101):
        employees = 50 if number <= 40 else 500
        good = (number <= 30) if employees == 50 else (number % 6 == 0)
        tech = "Slack" if number % 2 else "Zoom"
        record = {"employees": employees, "tech": tech}
        accounts.append(Account(number, f"a{number}", record, good, 1000.0 if good else None))
    return History("h.csv", "won", tuple(accounts), ("employees", "tech"), "acv")


def validation():  # type: ignore[no-untyped-def]
    return validate(icpdsl.loads(TWO), history(), as_of=AS_OF)


def test_text_compares_profiles_then_details_each() -> None:
    text = render_text(validation())
    lines = text.splitlines()
    assert lines[0] == "h.csv: 100 accounts, outcome 'won': 40 good, base rate 40.0% [30.9–49.8]"
    assert "profiles compared (their fit accounts)" in lines
    small = next(line for line in lines if line.startswith("  Small "))
    # equal values rank in input order: Class 1 and 2 are accounts 1–8, all small
    assert small.split() == ["Small", "40", "40.0%", "75.0%", "1.88×", "75%", "750", "100%", "100%"]
    assert 'profile "Small"' in lines and 'profile "Large"' in lines
    assert any(line.strip().startswith("employees ..100") and "carries" in line for line in lines)


def test_json_is_complete_and_serialisable() -> None:
    data = json.loads(json.dumps(to_dict(validation())))
    assert data["history"] == {
        "source": "h.csv",
        "outcome": "won",
        "value": "acv",
        "accounts": 100,
        "good": 40,
        "without_outcome": 0,
        "unreadable": 0,
    }
    assert data["confidence"] == 0.95 and data["as_of"] == "2025-06-01"
    small = data["profiles"][0]
    fit = next(g for g in small["groups"] if g["name"] == "fit")
    assert fit["precision"] == fit["rate"] == 0.75
    rule = small["rules"][0]
    assert rule["holds"] == {"accounts": 40, "good": 30, "rate": 0.75}
    assert rule["judgement"] == "carries"
    assert [b["label"] for b in small["score_bins"]] == ["0", "10"]


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_html_is_one_offline_page_with_a_comparison_and_charts() -> None:
    page = render_html(validation(), title="Two <profiles>")
    parsed = _Tags()
    parsed.feed(page)
    tables = [a.get("data-table") for t, a in parsed.tags if t == "table"]
    assert tables == ["profiles", "groups", "rules", "groups", "rules"]
    charts = [a.get("data-chart") for t, a in parsed.tags if t == "svg"]
    assert charts == ["rate-by-group", "lift-by-rule", "score-distribution", "rate-by-group",
                      "lift-by-rule"]  # fmt: skip
    assert not [t for t, a in parsed.tags if t in ("script", "link", "img", "iframe")]
    assert "<title>Two &lt;profiles&gt;</title>" in page
    assert "Profiles compared" in page
