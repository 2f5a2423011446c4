"""The HTML report in a real browser: headless Chromium prints the sample report to PDF
(pdftotext reads it back) and lays it out at a phone's width. `.ci/run` installs Chromium and
poppler-utils; elsewhere these tests skip, saying what is missing."""

from __future__ import annotations

import html
import json
import re
import shutil
import struct
import subprocess
from pathlib import Path

import pytest

from workbench.demo import build_demo
from workbench.export import ExportOptions, write_report
from workbench.export.data import iter_claims
from workbench.export.sections import PUBLISHED_STATUSES
from workbench.store import Store

CHROMIUM = next(
    (found for name in ("chromium", "chromium-browser") if (found := shutil.which(name))), None
)
needs_chromium = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)"
)
needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason="pdftotext is not installed (apt-get install poppler-utils)",
)
# Headless, no network of its own, a fresh profile per run (these work as root here).
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)
PHONE_WIDTH = 400


def chromium(tmp_path: Path, *args: str) -> str:
    profile = tmp_path / f"profile-{len(list(tmp_path.glob('profile-*')))}"
    assert CHROMIUM is not None
    done = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture
def sample_report(tmp_path: Path, store: Store) -> tuple[Path, list[str], list[str]]:
    """The demo database's default HTML report, the claim texts and verdict labels it holds."""
    build_demo(store)
    path = tmp_path / "report.html"
    with store.read() as session, path.open("w", encoding="utf-8") as out:
        write_report("html", session, ExportOptions(), out)
        shown = [c for c in iter_claims(session, ExportOptions().query)]
    published = [c for c in shown if c.status in PUBLISHED_STATUSES]
    assert published, "the demo must hold verdicts"
    texts = [c.text for c in published]
    labels = [c.verdict.label for c in published if c.verdict]
    return path, texts, labels


def _words(text: str) -> str:
    # pdftotext breaks lines (and words at hyphens) where the page does.
    return " ".join(text.replace("-\n", "-").split())


@needs_chromium
@needs_pdftotext
def test_printed_report_shows_verdicts_and_chart_on_page_one_and_cuts_nothing(
    tmp_path: Path, sample_report: tuple[Path, list[str], list[str]]
) -> None:
    report, texts, labels = sample_report
    pdf = tmp_path / "report.pdf"
    chromium(tmp_path, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", report.as_uri())
    assert pdf.stat().st_size > 1000

    def pdftotext(*args: str) -> str:
        return subprocess.run(
            ["pdftotext", *args, str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout

    first = _words(pdftotext("-f", "1", "-l", "1"))
    assert "Verdicts" in first
    assert any(f"Verdict: {label}" in first for label in labels), first
    # The chart's own labels: in print the summary table is hidden, so these come from it.
    assert "No verdict yet" in first and "Summary" in first
    assert first.index("Summary") < first.index("No verdict yet") < first.index("Verdicts")
    # Nothing cut off: every claim is printed in full, and no word lies outside its page.
    whole = _words(pdftotext())
    for text in texts:
        assert _words(text) in whole, text
    boxes = pdftotext("-bbox")
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', boxes, re.S)
    assert pages
    for width, height, words in pages:
        for x0, y0, x1, y1 in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)"', words
        ):
            assert 0 <= float(x0) and float(x1) <= float(width), (x0, x1, width)
            assert 0 <= float(y0) and float(y1) <= float(height), (y0, y1, height)


MEASURE = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="phone" width="{width}" height="900" style="border:0" srcdoc="{report}"></iframe>
<script>
document.getElementById("phone").addEventListener("load", () => {{
  const page = document.getElementById("phone").contentDocument.documentElement;
  const view = page.clientWidth;
  const wide = [...page.querySelectorAll("body *")]
    .filter((e) => e.getBoundingClientRect().right > view + 0.5)
    .map((e) => e.tagName.toLowerCase() + (e.className ? "." + e.className : ""));
  const out = document.createElement("pre");
  out.id = "measured";
  out.textContent = JSON.stringify({{scroll: page.scrollWidth, view: view, wide: wide}});
  document.body.appendChild(out);
}});
</script></body></html>"""


@needs_chromium
def test_report_fits_a_phone_screen(
    tmp_path: Path, sample_report: tuple[Path, list[str], list[str]]
) -> None:
    report, _texts, _labels = sample_report
    shot = tmp_path / "phone.png"
    chromium(tmp_path, f"--window-size={PHONE_WIDTH},2400", f"--screenshot={shot}", report.as_uri())
    width, height = struct.unpack(">II", shot.read_bytes()[16:24])  # the PNG header
    assert (width, height) == (PHONE_WIDTH, 2400)
    # Headless windows are at least 500 px wide, so the report is laid out in a 400 px
    # frame (srcdoc: same origin, so the page can be measured from outside).
    page = MEASURE.format(
        width=PHONE_WIDTH, report=html.escape(report.read_text(encoding="utf-8"), quote=True)
    )
    host = tmp_path / "measure.html"
    host.write_text(page, encoding="utf-8")
    dom = chromium(tmp_path, "--window-size=800,1000", "--dump-dom", host.as_uri())
    found = re.search(r'<pre id="measured">(.*?)</pre>', dom, re.S)
    assert found, dom[-500:]
    measured = json.loads(html.unescape(found.group(1)))
    assert 0 < measured["view"] <= PHONE_WIDTH
    assert measured["scroll"] <= measured["view"], measured
    assert measured["wide"] == [], measured
