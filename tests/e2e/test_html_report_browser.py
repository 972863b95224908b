"""The HTML report in a real browser: headless Chromium loads it offline, its DOM holds
the three charts and the figures, and a screenshot shows the charts painted.

Needs Debian's `chromium` (`make browser` installs it; CI runs that before the tests).
Set ICP_SCREENSHOT_DIR to keep the screenshot (report.png) for a person to look at.
"""

from __future__ import annotations

import datetime
import os
import shutil
import struct
import subprocess
import zlib
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

import icpdsl
from icpdsl.validate import read_history, validate
from icpdsl.validate.html import render_html
from icpdsl.validate.report import percent

ROOT = Path(__file__).resolve().parents[2]
HISTORY = ROOT / "examples" / "history"
WIDTH, HEIGHT = 1100, 2400
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
]


def chromium() -> str | None:
    found = os.environ.get("ICP_CHROMIUM")
    for name in (found, "chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name) if name else None
        if path:
            return path
    return None


BROWSER = chromium()
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        BROWSER is None,
        reason="headless Chromium not found: install it with `make browser` "
        "(apt-get install chromium) or set ICP_CHROMIUM",
    ),
]


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    history = read_history(HISTORY / "deals.csv", "won", value="acv")
    document = icpdsl.load(HISTORY / "current.icp")
    validation = validate(document, history, as_of=datetime.date(2025, 6, 1))
    page = tmp_path_factory.mktemp("report") / "report.html"
    page.write_text(render_html(validation), encoding="utf-8")
    return page, validation


def run_browser(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert BROWSER is not None
    profile = tmp / f"chromium-profile-{len(list(tmp.iterdir()))}"
    return subprocess.run(
        [BROWSER, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


class _Charts(HTMLParser):
    """Counts what each chart drew and collects the page's text."""

    def __init__(self) -> None:
        super().__init__()
        self.chart: str | None = None
        self.shapes: dict[str, Counter[str]] = {}
        self.tables: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "svg" and found.get("data-chart"):
            self.chart = found["data-chart"]
            self.shapes[self.chart] = Counter()
        elif self.chart is not None:
            self.shapes[self.chart][f"{tag}.{found.get('class', '')}"] += 1
        if tag == "table":
            self.tables.append(found.get("data-table") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "svg":
            self.chart = None

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def test_the_dom_has_the_charts_and_figures(report: tuple[Path, object], tmp_path: Path) -> None:
    page, validation = report
    done = run_browser(tmp_path, "--dump-dom", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    parsed = _Charts()
    parsed.feed(done.stdout)
    assert set(parsed.shapes) == {"rate-by-group", "lift-by-rule", "score-distribution"}
    [profile] = validation.profiles  # type: ignore[attr-defined]
    groups = [g for g in profile.groups if g.kind != "all"]
    rate_bars = sum(
        n for k, n in parsed.shapes["rate-by-group"].items() if k.startswith("rect.bar")
    )
    assert rate_bars == len(groups)
    assert parsed.shapes["rate-by-group"]["line.reference"] == 1
    lift_bars = sum(n for k, n in parsed.shapes["lift-by-rule"].items() if k.startswith("rect.bar"))
    assert lift_bars == len(profile.rules)
    columns = parsed.shapes["score-distribution"]
    assert columns["rect.series-good"] == columns["rect.series-bad"] == len(profile.score_bins)
    assert parsed.tables == ["groups", "rules"]
    text = " ".join(parsed.text)
    fit = profile.group("fit")
    assert f"{percent(fit.rate)} of {fit.accounts:,}" in text
    assert f"base rate {percent(validation.base_rate)}" in text  # type: ignore[attr-defined]
    assert "95% Wilson score intervals" in text
    assert "+10 if tech has Slack" in text


def test_a_screenshot_shows_the_charts_painted(report: tuple[Path, object], tmp_path: Path) -> None:
    page, _ = report
    shot = tmp_path / "report.png"
    done = run_browser(
        tmp_path, f"--screenshot={shot}", f"--window-size={WIDTH},{HEIGHT}", page.as_uri()
    )
    assert done.returncode == 0, done.stderr[-2000:]
    keep = os.environ.get("ICP_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(keep) / "report.png")
    width, height, pixels = read_png(shot.read_bytes())
    assert (width, height) == (WIDTH, HEIGHT)
    colours = Counter(pixels)
    # every chart colour is painted over a visible area (not just present in the CSS)
    assert colours[(0x2F, 0x85, 0x5A)] > 3000  # fit bars, carrying rules, good outcomes
    assert colours[(0xC5, 0x30, 0x30)] > 300  # the disqualified bar
    assert colours[(0x3B, 0x6F, 0xB6)] > 1000  # tier bars
    assert colours[(0x9A, 0xA5, 0xB1)] > 1000  # not-fit bar, neutral rules, other outcomes
    assert colours[(0x10, 0x2A, 0x43)] > 20000  # the header band


def read_png(data: bytes) -> tuple[int, int, list[tuple[int, int, int]]]:
    """Width, height and RGB pixels of an 8-bit RGB or RGBA, non-interlaced PNG."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    offset, chunks, header = 8, [], b""
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        offset += 12 + length
    width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and colour_type in (2, 6) and interlace == 0, "unexpected PNG format"
    size = 3 if colour_type == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * size
    previous = bytearray(stride)
    pixels: list[tuple[int, int, int]] = []
    for row in range(height):
        start = row * (stride + 1)
        kind = raw[start]
        line = bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - size] if i >= size else 0
            up = previous[i]
            corner = previous[i - size] if i >= size else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                best = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + best) & 0xFF
        pixels.extend((line[i], line[i + 1], line[i + 2]) for i in range(0, stride, size))
        previous = line
    return width, height, pixels
