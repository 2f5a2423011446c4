"""The promote dialog (issue 18): the sentence Enter would promote is highlighted and named
before anything is made; Up at the top stays at the top; a click on another sentence only
highlights it; Tab and Enter on the Promote button take the one shown, never "Choose a
sentence." while one is highlighted."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from textual.widgets import Button, OptionList, Static
from tui_helpers import demo_app, notifications, settle

from workbench.claims.reading import get_claim
from workbench.core.results import ClaimFilter
from workbench.listing.queries import list_claims
from workbench.storage.models import Article, Sentence
from workbench.storage.store import Store
from workbench.tui.screens.pickers import PromoteDialog

SIZE = (120, 32)
SENTENCES = ["One.", "Two is a claim.", "Three is one too."]


def _article(store: Store) -> int:
    with store.write() as session:  # an article as the ingester would store it
        article = Article(title="Tram news", text=" ".join(SENTENCES))
        session.add(article)
        session.flush()
        start = 0
        for position, text in enumerate(SENTENCES):
            end = start + len(text)
            session.add(
                Sentence(article_id=article.id, position=position, start=start, end=end, text=text)
            )
            start = end + 1
        return article.id


def _promoted(store: Store, article_id: int) -> list[str]:
    with store.read() as session:
        return [r.text for r in list_claims(session, ClaimFilter(article_id=article_id))]


async def _open(pilot: Any) -> PromoteDialog:
    await pilot.press("p")
    await settle(pilot)
    dialog = pilot.app.screen
    assert isinstance(dialog, PromoteDialog)
    return dialog


def _preview(dialog: PromoteDialog) -> str:
    return str(dialog.query_one("#promote-preview", Static).render())


@asynccontextmanager
async def _promoting(store: Store) -> AsyncIterator[tuple[Any, PromoteDialog]]:
    """The app on the claims list with the promote dialog open: (pilot, dialog)."""
    app = demo_app(store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        yield pilot, await _open(pilot)


async def test_the_highlighted_sentence_is_shown_and_up_does_not_wrap(store: Store) -> None:
    article_id = _article(store)
    async with _promoting(store) as (pilot, dialog):
        listing = dialog.query_one("#sentences", OptionList)
        assert listing.has_focus and listing.highlighted == 0
        assert f"sentence 0 of article {article_id} a claim: One." in _preview(dialog)
        await pilot.press("up")  # at the top: stays there, never the last sentence
        assert listing.highlighted == 0
        await pilot.press("down")
        assert listing.highlighted == 1 and "Two is a claim." in _preview(dialog)
        await pilot.press("down", "down", "down")  # at the bottom: stays there too
        assert listing.highlighted == 2
        await pilot.press("up", "enter")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, PromoteDialog)
        assert any("Sentence 1 of article" in n for n in notifications(pilot.app))
    assert _promoted(store, article_id) == ["Two is a claim."]


async def test_tab_then_enter_on_promote_takes_the_sentence_shown(store: Store) -> None:
    article_id = _article(store)
    async with _promoting(store) as (pilot, dialog):
        await pilot.press("shift+tab")  # to the article choice, then back to the list
        assert not dialog.query_one("#sentences", OptionList).has_focus
        await pilot.press("tab")
        listing = dialog.query_one("#sentences", OptionList)
        assert listing.has_focus and listing.highlighted == 0
        await pilot.press("down", "down", "tab")
        assert dialog.query_one("#save", Button).has_focus
        assert "Three is one too." in _preview(dialog)
        await pilot.press("enter")
        await settle(pilot)
        assert not any("Choose a sentence" in n for n in notifications(pilot.app))
    assert _promoted(store, article_id) == ["Three is one too."]


async def test_a_click_highlights_and_a_second_click_promotes(store: Store) -> None:
    article_id = _article(store)
    async with _promoting(store) as (pilot, dialog):
        listing = dialog.query_one("#sentences", OptionList)
        third = (4, listing.content_region.y - listing.region.y + 2)  # the third line
        await pilot.click("#sentences", offset=third)
        await settle(pilot)
        assert pilot.app.screen is dialog and listing.highlighted == 2
        assert "Three is one too." in _preview(dialog)
        assert _promoted(store, article_id) == []
        await pilot.click("#sentences", offset=third)
        await settle(pilot)
        assert pilot.app.screen is not dialog
    [text] = _promoted(store, article_id)
    assert text == "Three is one too."
    with store.read() as session:
        [row] = list_claims(session, ClaimFilter(article_id=article_id))
        assert get_claim(session, row.id).claim.article_id == article_id
