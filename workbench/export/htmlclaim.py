"""The per-claim part of the HTML report, rendered in Python.

A report of 100,000 claims spent most of its time in Jinja's per-claim machinery (attribute
lookups, a generator step per text piece), so the repeated `<article>` block is built here
and the template places it with `{{ claim_html(claim) }}`. The escaping guarantees are the
template's: every value from the database goes through markupsafe's `escape` (what Jinja's
autoescape calls), and links go through `safe_url`. The output is byte-identical to the
Jinja markup it replaces (tests/test_export_htmlclaim.py renders both and compares).
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup, escape

from workbench.export.records import ClaimRecord
from workbench.export.safety import safe_url
from workbench.export.templating import when


def _replace_chain(text: str) -> str:
    return (
        text.replace("&", "&amp;")
        .replace(">", "&gt;")
        .replace("<", "&lt;")
        .replace("'", "&#39;")
        .replace('"', "&#34;")
    )


try:  # markupsafe's own escaping of a str, in C (what escape() runs before wrapping)
    from markupsafe import _escape_inner as _escape_str  # type: ignore[attr-defined]
except ImportError:  # a markupsafe without it: the same replacements in Python
    _escape_str = _replace_chain


def _e(value: object) -> str:
    """markupsafe's escaping, as text: for a plain str, its inner escaping function without
    the Markup object escape() wraps the result in (the wrapping was a third of the claim
    block's time, the Python replacement chain most of the rest)."""
    if type(value) is str:
        return _escape_str(value)
    return str(escape(value))


def claim_renderer(rating_class: Callable[[str | None], str]) -> Callable[[ClaimRecord], Markup]:
    """`claim_html(claim)` for one report: `rating_class` maps a rating to its CSS class."""
    # The time text of a stored time is the same wherever it appears: reports repeat them
    # (evidence added in one sitting), so formatted values are remembered per report.
    times: dict[object, str] = {}

    def fmt_time(value: object) -> str:
        text = times.get(value)
        if text is None:
            if len(times) > 4096:
                times.clear()
            text = times[value] = _e(when(value))  # type: ignore[arg-type]
        return text

    def claim_html(claim: ClaimRecord) -> Markup:
        v = claim.verdict
        out = [
            '<article class="claim ',
            _e(rating_class(claim.rating)),
            '" id="claim-',
            _e(claim.id),
            '">\n<h3>Claim ',
            _e(claim.id),
            ' <span class="muted">· ',
            _e(claim.status),
        ]
        if claim.score is not None:
            out.append(" · score ")
            out.append(_e("%.2f" % claim.score))  # noqa: UP031 (as Jinja's format filter)
        out.append("</span></h3>\n<blockquote>")
        out.append(_e(claim.text))
        out.append("</blockquote>\n")
        if v:
            out += (
                '<p class="verdict">Verdict: <span class="rating ',
                _e(rating_class(v.rating)),
                '">',
                _e(v.label),
                '</span></p>\n<p class="meta">by ',
                _e(v.reviewer),
                " on ",
                fmt_time(v.created_at),
                '</p>\n<div class="rationale">',
                _e(v.rationale),
                "</div>\n",
            )
        else:
            out.append('<p class="verdict muted">No verdict yet</p>\n')
        if claim.evidence:
            out.append('<ol class="evidence">\n')
            for e in claim.evidence:
                s = e.source
                href = safe_url(s.url)
                label = s.label
                out += ('<li><span class="stance">', _e(e.stance), "</span>\n")
                if e.quote:
                    out += ("<q>", _e(e.quote), "</q>")
                out.append("<br>")
                if href:
                    out += ('<a href="', _e(href), '">', _e(label), "</a>")
                    if s.title:
                        out += (' <span class="url muted">', _e(s.url), "</span>")
                else:
                    out += ("<span>", _e(label), "</span>")
                    if s.url and s.url != label:
                        out += (' <span class="url muted">', _e(s.url), "</span>")
                if s.publisher:
                    out += (" · ", _e(s.publisher))
                if s.citation and s.citation != label:
                    out += ('<br><span class="muted">', _e(s.citation), "</span>")
                out.append('<br><span class="muted">')
                if s.fetched_at:
                    out += ("fetched ", fmt_time(s.fetched_at))
                elif s.kind == "url":
                    out.append("not fetched")
                else:
                    out.append("citation")
                if s.snapshot_sha256:
                    out += (' · sha256 <span class="hash">', _e(s.snapshot_sha256), "</span>")
                out.append("</span>\n</li>\n")
            out.append("</ol>\n")
        out.append("</article>\n")
        return Markup("".join(out))

    return claim_html
