"""The Python-rendered claim block of the HTML report equals the Jinja markup it replaced,
byte for byte, on ordinary and hostile data (so it keeps the template's escaping)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from tests.export_fixtures import build_hostile, build_simple
from workbench.export.data import ReportQuery, iter_claims
from workbench.export.htmlclaim import claim_renderer
from workbench.export.templating import html_environment
from workbench.storage.store import Store

# The per-claim markup of templates/report.html.j2 before it moved to htmlclaim.py.
JINJA_CLAIMS = (Path(__file__).parent / "data" / "report_claim.html.j2").read_text(encoding="utf-8")


def _classes(name: str | None) -> str:
    return {"false": "r-1", "true": "r-6"}.get(name or "", "")


def test_claim_html_equals_the_jinja_markup(store: Store) -> None:
    build_hostile(store)
    build_simple(store)
    with store.read() as session:
        claims = list(iter_claims(session, ReportQuery(), batch_size=7))
    assert len(claims) > 20
    # Variants the fixtures do not hold: no score, no verdict, no evidence, an odd score.
    first = claims[0]
    claims += [
        replace(first, score=None, verdict=None),
        replace(first, evidence=(), score=0.125),
        replace(first, rating=None, verdict=None, evidence=()),
    ]
    env = html_environment()
    template = env.from_string(JINJA_CLAIMS)
    assert env.autoescape  # the unnamed template is escaped too
    expected = template.render(group={"claims": claims}, rating_class=_classes)
    fast = claim_renderer(_classes)
    got = "".join(fast(c) for c in claims)
    assert "&lt;script&gt;" in got and "<script>" not in got
    assert got == expected
