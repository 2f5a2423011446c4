"""Preparing an article in a forked process while the database gets ready (articles/ahead.py):
the same result as preparing here, progress passed on, errors a user can act on raised here,
and a child that dies or hits a bug redone here."""

from __future__ import annotations

import json
import os
import threading
from functools import partial
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_workbench
from workbench.articles import ahead
from workbench.articles.preparing import prepare_article
from workbench.errors import ValidationError

PAGE = """<!doctype html><html><head><title>Tram line opens</title></head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Tram line opens</h1>
<p>The extension of the Riverside tram line opened on Monday, two years late.</p>
<p>City officials said the 6.4-kilometre extension cost 412 million euros, 38% more than
planned.</p>
<p>The council set aside 1.5 million euros in compensation for shops along the route.</p>
<p>Ridership on the line rose by 12% in its first week, the operator said.</p>
</article><footer>Copyright 2026 The Daily Example</footer></body></html>"""


@pytest.fixture
def forking(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fork path whatever threads pytest's plugins left running."""
    monkeypatch.setattr(ahead, "_can_fork", lambda size: True)


def _fields(prepared: Any) -> tuple[Any, ...]:
    sentences = [(s.start, s.end, s.text, s.score) for s in prepared.sentences]
    return (prepared.text, prepared.title, sentences)


def test_the_child_prepares_what_this_process_would(forking: None) -> None:
    prepare = partial(prepare_article, PAGE.encode(), "html", name="page.html")
    seen: list[tuple[int, int, str]] = []
    ready: list[int] = []
    forked = ahead.prepared_ahead(
        prepare,
        lambda *step: seen.append(step),
        len(PAGE),
        meanwhile=lambda: ready.append(os.getpid()),
    )
    assert _fields(forked) == _fields(prepare(progress=None))
    assert ready == [os.getpid()]  # the waiting work ran here, once
    assert (0, 0, "cleaning the text") in seen and (0, 0, "splitting into sentences") in seen


def test_an_error_in_the_child_is_raised_here(forking: None) -> None:
    prepare = partial(prepare_article, b"<html><body></body></html>", "html", name="empty.html")
    with pytest.raises(ValidationError, match="empty.html"):
        ahead.prepared_ahead(prepare, None, 30, meanwhile=lambda: None)


def test_a_child_that_dies_or_hits_a_bug_is_redone_here(forking: None) -> None:
    parent = os.getpid()

    def dies(progress: Any) -> str:
        if os.getpid() != parent:
            os._exit(3)
        return "prepared here"

    assert ahead.prepared_ahead(dies, None, 10, meanwhile=lambda: None) == "prepared here"

    def bug(progress: Any) -> str:
        raise RuntimeError(f"bug in {os.getpid()}")

    with pytest.raises(RuntimeError, match=f"bug in {parent}$"):  # its traceback, from here
        ahead.prepared_ahead(bug, None, 10, meanwhile=lambda: None)


def test_no_fork_beside_another_thread_or_for_a_big_article() -> None:
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert not ahead._can_fork(1000)
    finally:
        stop.set()
        other.join()
    assert not ahead._can_fork(ahead.AHEAD_MAX_BYTES + 1)


def test_the_program_ingests_pages_once_each_with_progress(tmp_path: Path) -> None:
    db = str(tmp_path / "w.db")
    first, second = tmp_path / "first.html", tmp_path / "second.html"
    first.write_text(PAGE)
    second.write_text(PAGE.replace("Monday", "Tuesday").replace("12%", "14%"))
    env = {"WORKBENCH_DB": db, "WORKBENCH_PROGRESS": "1"}
    result = run_workbench("ingest", str(first), str(second), env=env)
    assert result.returncode == 0, result.stderr
    # Each summary once (a child must not flush a copy of what this process had buffered).
    assert result.stdout.count("article 1:") == 1 and result.stdout.count("article 2:") == 1
    assert result.stderr.count("ingesting " + str(second) + ": cleaning the text") == 1
    assert "splitting into sentences" in result.stderr
    shown = run_workbench("claims", "--json", env={"WORKBENCH_DB": db})
    texts = {c["text"] for c in json.loads(shown.stdout)}
    expected = prepare_article(PAGE.encode(), "html", name="first.html")
    assert any("412 million euros" in t for t in texts)
    assert any("Tuesday" in t for t in texts) and any("Monday" in t for t in texts)
    scores = {c["text"]: c["score"] for c in json.loads(shown.stdout)}
    for s in expected.sentences:
        if s.text in scores:
            assert scores[s.text] == pytest.approx(s.score, abs=1e-4)
