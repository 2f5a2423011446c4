"""Extraction and claim quality on news pages: are the article's numeric sentences kept as
claims, does anything outside the article become one, is article text lost or changed?

Usage (from the repository root)::

    PYTHONPATH=. python benchmarks/extraction_quality.py [--pages DIR] [--trafilatura GITDIR]

``--pages`` (default tests/data): every ``NAME.html`` with a ``NAME.body.txt`` beside it (the
article's body sentences, one a line, written with the page). Figures:

* numeric body sentences kept as claims: body sentences with a digit that are claims;
* claims outside the body: claims that are not body sentences;
* pages whose article text is lost: fewer than 90% of the body sentences in the text;
* claims with words missing: a claim whose words all appear, in order, inside a body
  sentence (or a paragraph of trafilatura's favor_recall extraction) that has more words
  *between* them.

``--trafilatura`` (a git directory of the trafilatura repository, e.g. from a mirror) adds its
English news evaluation pages listed in NEWS_PAGES: text lost (an expected "with" snippet
missing), claims holding an expected "without" snippet, and claims with words missing against
favor_recall. The pages are read from git, not stored here.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
from pathlib import Path

from workbench.articles.preparing import prepare_article
from workbench.articles.service import select_claims

ROOT = Path(__file__).resolve().parent.parent
NEWS_PAGES = [
    "bbc.com.52241221", "bostonherald.com-Brothel-catering", "abc7news.com-Napa",
    "californiaglobe.com.amazon", "citylimits.org-Nycha", "gothamist.com-plagues",
    "kaieteurnewsonline.com-essequibo", "miamitodaynews.com-Transitway", "newsday.co.tt-forex",
    "nytimes.com.blackouts", "thenassauguardian.com-hikes", "tribune242.com-gunned",
    "breakingbelizenews.com-paho", "abc13.com-Copperfield", "cbsnews.com.carolina",
    "caymancompass.com-prison", "dw.com-elephants", "edition.cnn.com-royal",
    "guardian.co.tt-massy", "independent.co.uk.penalty", "jamaicaobserver.com-attacks",
    "latimes.com.bloomberg", "nationnews.com-schools", "phillyvoice.com-Sixers",
    "politico.com.retirement", "telegraph.co.uk.plumber", "ticotimes.net-worldbank",
    "timesofisrael.com.washington", "dominicantoday.com-air", "stluciatimes.com-dea",
]  # fmt: skip
_WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def inner_gap(part: str, whole: str) -> bool:
    """``part``'s words appear in order in ``whole`` but not side by side: words in between."""
    small, big = words(part), words(whole)
    if not small or len(big) <= len(small):
        return False
    n = len(small)
    if any(big[i : i + n] == small for i in range(len(big) - n + 1)):
        return False
    it = iter(big)
    return all(any(w == b for b in it) for w in small)


def claims_of(html: bytes, name: str) -> tuple[str, list[str]]:
    from workbench.ingest.checkworthy import DEFAULT_THRESHOLD

    prepared = prepare_article(html, "html", name=name)
    return prepared.text, [s.text for s in select_claims(prepared, DEFAULT_THRESHOLD)]


def own_pages(folder: Path) -> None:
    numeric = kept = claims_total = outside = lost = gapped = 0
    pages = sorted(p for p in folder.glob("*.html") if p.with_suffix(".body.txt").is_file())
    for page in pages:
        body = [b for b in page.with_suffix(".body.txt").read_text("utf-8").splitlines() if b]
        text, claims = claims_of(page.read_bytes(), page.name)
        flat = " ".join(text.split())
        found = sum(1 for b in body if b in flat)
        if found < 0.9 * len(body):
            lost += 1
            print(f"  text lost: {page.name} ({found}/{len(body)} body sentences)")
        claim_set = set(claims)
        for b in body:
            if re.search(r"\d", b):
                numeric += 1
                kept += b in claim_set
        claims_total += len(claims)
        for c in claims:
            if c not in body:
                outside += 1
                print(f"  outside the body: {page.name}: {c[:90]}")
            if any(inner_gap(c, b) for b in body):
                gapped += 1
                print(f"  words missing: {page.name}: {c[:90]}")
    print(f"own pages ({folder}): {len(pages)} pages, {claims_total} claims")
    print(
        f"  numeric body sentences kept as claims: {kept}/{numeric} = {kept / max(numeric, 1):.1%}"
    )
    print(
        f"  claims outside the body: {outside}/{claims_total} = "
        f"{outside / max(claims_total, 1):.1%}"
    )
    print(f"  pages whose article text is lost: {lost}")
    print(f"  claims with words missing: {gapped}")


def git_show(gitdir: Path, path: str) -> bytes:
    return subprocess.run(
        ["git", "-C", str(gitdir), "show", f"HEAD:{path}"], capture_output=True, check=True
    ).stdout


def trafilatura_pages(gitdir: Path) -> None:
    import trafilatura

    evaldata = json.loads(git_show(gitdir, "tests/evaldata.json"))
    by_file = {v["file"]: v for v in evaldata.values()}
    lost = bad = gapped = claims_total = 0
    for name in NEWS_PAGES:
        html = git_show(gitdir, f"tests/eval/{name}.html")
        text, claims = claims_of(html, name)
        claims_total += len(claims)
        flat = " ".join(text.split())
        expect = by_file.get(f"{name}.html", {})
        missing = [w for w in expect.get("with", []) if " ".join(w.split()) not in flat]
        if missing:
            lost += 1
            print(f"  expected text missing: {name}: {missing[0][:80]}")
        for c in claims:
            if any(w in c for w in expect.get("without", [])):
                bad += 1
                print(f"  claim with unwanted text: {name}: {c[:90]}")
        recall = trafilatura.extract(html, favor_recall=True) or ""
        paragraphs = [p for p in recall.split("\n") if p.strip()]
        for c in claims:
            if any(inner_gap(c, p) for p in paragraphs):
                gapped += 1
                print(f"  words missing: {name}: {c[:90]}")
    print(f"trafilatura news pages: {len(NEWS_PAGES)} pages, {claims_total} claims")
    print(f"  pages with expected article text missing: {lost}")
    print(f"  claims holding text the evaluation marks as not article: {bad}")
    print(f"  claims with words missing (against favor_recall): {gapped}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", type=Path, default=ROOT / "tests" / "data")
    ap.add_argument("--trafilatura", type=Path, default=None, metavar="GITDIR")
    args = ap.parse_args()
    own_pages(args.pages)
    if args.trafilatura is not None:
        trafilatura_pages(args.trafilatura)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
