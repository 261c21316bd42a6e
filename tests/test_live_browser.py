"""The phone page in a real browser: Debian's headless Chromium, driven by Playwright,
against a real host on 127.0.0.1. Nothing is mocked: the page is the one the package
ships, and it speaks to the server over a real WebSocket.

The page joins with the code from the QR address, answers a choice by tapping it and a
text question by typing, and sees its rank after each question and at the end.
``LIVE_SCREENSHOT=FILE`` also saves the question screen at phone size (the README's).
"""

from __future__ import annotations

import asyncio
import json
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from websockets.sync.client import connect

from desperado_quiz.game import (
    Engine,
    GameResult,
    GameSettings,
    Status,
    TurnOrder,
    pick_questions,
)
from desperado_quiz.live.server import Host
from desperado_quiz.store import load_banks
from tests.live_support import CODE, Running, start_host

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}
WAIT_MS = 15_000

if not CHROMIUM.exists() and not os.environ.get("CI"):  # CI installs it (.ci/run): it fails
    pytest.skip("needs Debian's chromium (apt-get install chromium)", allow_module_level=True)

sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright


class HostThread:
    """A host in its own thread and event loop: Playwright's sync API wants this one."""

    def __init__(self, engine: Engine, players: int = 2) -> None:
        self.engine = engine
        self.players = players
        self.ready = threading.Event()
        self.running: Running | None = None
        self.result: GameResult | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self.thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)

    async def _main(self) -> None:
        self.loop = asyncio.get_running_loop()
        self.running = await start_host(self.engine, start_with=self.players, pause=1.5)
        self.ready.set()
        self.result = await self.running.result()

    @property
    def port(self) -> int:
        assert self.running is not None
        return self.running.host.port

    def at_the_keyboard(self, act: Callable[[Host], object]) -> None:
        """Do what the host's keyboard would (``remove``, ``stop``), in the host's loop."""
        assert self.loop is not None
        assert self.running is not None
        host = self.running.host
        self.loop.call_soon_threadsafe(act, host)


@pytest.fixture
def host() -> Iterator[HostThread]:
    refs = ("desperado-cast:el-mariachi-actor", "desperado-cast:director")
    asked = pick_questions(load_banks().banks, refs, seed=1).asked
    settings = GameSettings(seed=1, questions=refs, players=(), turns=TurnOrder.TOGETHER, timer=20)
    hosting = HostThread(Engine(asked, settings))
    hosting.thread.start()
    assert hosting.ready.wait(15)
    yield hosting
    hosting.thread.join(30)


def wrong_answers(port: int) -> None:
    """A second player, on the protocol, who gets everything wrong."""
    with connect(f"ws://127.0.0.1:{port}/ws", open_timeout=15) as socket:
        socket.send(json.dumps({"type": "join", "version": 1, "code": CODE, "name": "Ann"}))
        while True:
            message = json.loads(socket.recv(timeout=30))
            if message["type"] == "question":
                answer = {"type": "answer", "question": message["number"], "text": "skip"}
                socket.send(json.dumps(answer))
            if message["type"] == "over":
                return


def test_the_phone_page_joins_answers_two_questions_and_sees_its_rank(host: HostThread) -> None:
    mariachi, director = host.engine.asked
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
        page.set_default_timeout(WAIT_MS)
        page.goto(f"http://127.0.0.1:{host.port}/?code={CODE}")
        assert page.input_value("#code") == CODE  # from the QR code's address
        page.fill("#name", "Phone")
        page.click("#join-form button")
        page.wait_for_selector("#lobby:not([hidden])")
        other = threading.Thread(target=wrong_answers, args=(host.port,), daemon=True)
        other.start()

        page.wait_for_selector("#question:not([hidden])")
        assert page.text_content("#q-text") == mariachi.question.question
        if shot := os.environ.get("LIVE_SCREENSHOT"):
            page.screenshot(path=shot)
        page.get_by_role("button", name=mariachi.question.answer).click()  # type: ignore[attr-defined]
        page.wait_for_selector("#q-status:has-text('Locked in')", state="attached")
        page.wait_for_selector("#reveal:not([hidden])")
        assert page.text_content("#r-verdict").startswith("✓ Right")  # type: ignore[union-attr]
        assert page.text_content("#r-rank").startswith("You are 1st of 2")  # type: ignore[union-attr]

        page.wait_for_selector("#question:not([hidden])")
        assert page.text_content("#q-text") == director.question.question
        page.fill("#q-input", "robert rodriguez")
        page.click("#q-form button")
        page.wait_for_selector("#over:not([hidden])")
        assert page.text_content("#o-rank").startswith("You finished 1st of 2")  # type: ignore[union-attr]
        assert "Phone" in (page.text_content("#o-standings") or "")
        browser.close()
    other.join(15)
    host.thread.join(30)
    assert host.result is not None
    phone = next(s for s in host.result.players if s.player == "Phone")
    assert [o.correct for o in phone.outcomes] == [True, True]


def right_away(port: int, index: int) -> None:
    """A player on the protocol, from its own address, who answers right at once."""
    with connect(
        f"ws://127.0.0.1:{port}/ws", open_timeout=15, source_address=(f"127.0.15.{index}", 0)
    ) as socket:
        socket.send(
            json.dumps({"type": "join", "version": 2, "code": CODE, "name": f"Bot {index}"})
        )
        while True:
            message = json.loads(socket.recv(timeout=30))
            if message["type"] == "question":
                answer = {"type": "answer", "question": message["number"], "text": "Rodriguez"}
                socket.send(json.dumps(answer))
            if message["type"] == "over":
                return


def test_the_phone_page_far_down_a_room_sees_its_rank_the_top_and_its_neighbours() -> None:
    refs = ("desperado-cast:director",)
    asked = pick_questions(load_banks().banks, refs, seed=1).asked
    settings = GameSettings(seed=1, questions=refs, players=(), turns=TurnOrder.TOGETHER, timer=20)
    hosting = HostThread(Engine(asked, settings), players=12)
    hosting.thread.start()
    assert hosting.ready.wait(15)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
        page.set_default_timeout(WAIT_MS)
        page.goto(f"http://127.0.0.1:{hosting.port}/?code={CODE}")
        page.fill("#name", "Phone")
        page.click("#join-form button")
        page.wait_for_selector("#lobby:not([hidden])")
        bots = [
            threading.Thread(target=right_away, args=(hosting.port, i), daemon=True)
            for i in range(1, 12)
        ]
        for bot in bots:
            bot.start()
        page.wait_for_selector("#question:not([hidden])")
        page.fill("#q-input", "skip")
        page.click("#q-form button")
        page.wait_for_selector("#over:not([hidden])")
        rank = page.text_content("#o-rank") or ""
        rows = page.locator("#o-standings li").all_text_contents()
        browser.close()
    for bot in bots:
        bot.join(15)
    hosting.thread.join(30)
    assert rank.startswith("You finished 12th of 12")
    assert len(rows) == 5 + 1 + 3  # the top 5, a gap, then ranks 10 to 12
    assert rows[5] == "\u2026"
    assert rows[-1].startswith("Phone · 0")


def night(refs: tuple[str, ...], timer: float, players: int) -> HostThread:
    asked = pick_questions(load_banks().banks, refs, seed=1).asked
    settings = GameSettings(
        seed=1, questions=refs, players=(), turns=TurnOrder.TOGETHER, timer=timer
    )
    hosting = HostThread(Engine(asked, settings), players=players)
    hosting.thread.start()
    assert hosting.ready.wait(15)
    return hosting


def answers_at_once(port: int, lines: list[str | None], name: str = "Ann") -> None:
    """A player on the protocol: each question's line as soon as it opens (None: no
    answer), until the game ends or the host removes them."""
    with connect(f"ws://127.0.0.1:{port}/ws", open_timeout=15) as socket:
        socket.send(json.dumps({"type": "join", "version": 2, "code": CODE, "name": name}))
        while True:
            message = json.loads(socket.recv(timeout=30))
            if message["type"] == "bye":
                return
            if message["type"] == "question" and (line := lines[message["number"] - 1]):
                answer = {"type": "answer", "question": message["number"], "text": line}
                socket.send(json.dumps(answer))
            if message["type"] == "over":
                return


def test_the_phone_page_says_no_answer_clears_old_errors_shows_its_tap_and_who_it_is() -> None:
    refs = (
        "desperado-production:release-year",
        "desperado-cast:el-mariachi-actor",
        "desperado-production:el-mariachi-premiere",
    )
    hosting = night(refs, timer=6, players=2)
    year, mariachi, _ = hosting.engine.asked
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
        page.set_default_timeout(WAIT_MS)
        page.goto(f"http://127.0.0.1:{hosting.port}/?code={CODE}")
        page.fill("#name", "Cara")
        page.click("#join-form button")
        page.wait_for_selector("#lobby:not([hidden])")
        assert page.text_content("#who") == "You are Cara"
        ann = threading.Thread(
            target=answers_at_once, args=(hosting.port, ["1995", None, "1992"]), daemon=True
        )
        ann.start()

        # Question 1: Cara's only line is refused; the clock runs out.
        page.wait_for_selector("#question:not([hidden])")
        assert page.text_content("#q-text") == year.question.question
        page.fill("#q-input", "a lot")
        page.click("#q-form button")
        page.wait_for_selector("#message:has-text('Type a number')")
        page.wait_for_selector("#reveal:not([hidden])")
        verdict = page.text_content("#r-verdict") or ""
        rank = page.text_content("#r-rank") or ""
        rows = page.locator("#r-top li").all_text_contents()

        # Question 2: what was said about question 1 is gone; the tap stays marked while
        # the question waits for its clock (Ann does not answer it).
        page.wait_for_selector("#question:not([hidden])")
        message_then = page.text_content("#message")
        tapped = page.get_by_role("button", name=mariachi.question.answer)  # type: ignore[attr-defined]
        tapped.click()
        page.wait_for_selector("#q-status:has-text('Locked in')", state="attached")
        pressed = tapped.get_attribute("aria-pressed")
        picked = tapped.evaluate(
            "b => [b.classList.contains('picked'), b.disabled, getComputedStyle(b).opacity]"
        )
        dimmed = page.locator("#q-options button:not(.picked)").first.evaluate(
            "b => getComputedStyle(b).opacity"
        )
        others = page.locator("#q-options button.picked").count()

        # The host removes Cara once question 2 is revealed.
        page.wait_for_selector("#reveal:not([hidden])")
        hosting.at_the_keyboard(lambda host: host.remove("Cara"))
        page.wait_for_selector("#join:not([hidden])")
        who = page.text_content("#who")
        told = page.text_content("#message")
        browser.close()
    ann.join(15)
    hosting.thread.join(30)
    assert verdict.startswith("⌛ No answer")  # as the host's chart says it:
    assert hosting.running is not None
    tally = hosting.running.view.closed[0].reveal["tally"]
    assert {"answer": "No answer", "count": 1, "right": False} in tally
    assert rank.endswith("· 0 of 3 right")
    assert rows == ["Ann · 100 points · 1 of 3 right", "Cara · 0 points · 0 of 3 right"]
    assert message_then == ""
    assert (pressed, picked, others) == ("true", [True, True, "1"], 1)
    assert float(dimmed) < 1  # the other choices are dimmed: the tapped one stands out
    assert who == ""  # no longer "You are Cara"
    assert told == "The host removed you from the game."


def test_a_copy_of_the_phone_page_asks_before_taking_the_seat_over() -> None:
    hosting = night(("desperado-cast:director",), timer=20, players=3)  # the lobby waits
    address = f"http://127.0.0.1:{hosting.port}/?code={CODE}"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        context.set_default_timeout(WAIT_MS)
        first = context.new_page()
        first.goto(address)
        first.fill("#name", "Cara")
        first.click("#join-form button")
        first.wait_for_selector("#lobby:not([hidden])")
        kept = first.evaluate(
            "[sessionStorage.getItem('desperado-token'), sessionStorage.getItem('desperado-code')]"
        )

        def copy() -> Any:  # a copy of the tab: its storage comes with it
            page = context.new_page()
            page.add_init_script(
                f"sessionStorage.setItem('desperado-token', {json.dumps(kept[0])});"
                f"sessionStorage.setItem('desperado-code', {json.dumps(kept[1])});"
            )
            page.goto(address)
            page.wait_for_selector("#takeover:not([hidden])")
            return page

        second = copy()
        asked = second.text_content("#t-question")
        second.click("#t-no")
        second.wait_for_selector("#join:not([hidden])")
        declined = second.text_content("#message")
        still = (first.is_visible("#lobby"), first.text_content("#who"))
        third = copy()
        third.click("#t-yes")
        third.wait_for_selector("#lobby:not([hidden])")
        taken = third.text_content("#who")
        first.wait_for_selector("#join:not([hidden])")
        moved = (first.text_content("#who"), first.text_content("#message"))
        browser.close()
    hosting.at_the_keyboard(lambda host: host.stop(Status.QUIT))
    hosting.thread.join(30)
    assert asked == "Cara is playing from another terminal or phone right now."
    assert declined == (
        "The seat stays with the other tab or device. To join as someone else, use another name."
    )
    assert still == (True, "You are Cara")  # the first page never noticed
    assert taken == "You are Cara"
    assert moved == (
        "",
        "Cara is now played from another terminal or phone: this one has left the game.",
    )


def test_the_phone_page_lists_a_removed_player_last_with_no_place() -> None:
    hosting = night(("desperado-cast:director",), timer=20, players=3)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        page = browser.new_page(viewport=PHONE, is_mobile=True, has_touch=True)
        page.set_default_timeout(WAIT_MS)
        page.goto(f"http://127.0.0.1:{hosting.port}/?code={CODE}")
        page.fill("#name", "Cara")
        page.click("#join-form button")
        page.wait_for_selector("#lobby:not([hidden])")
        bots = [
            threading.Thread(target=answers_at_once, args=(hosting.port, [line], name), daemon=True)
            for name, line in (("Ann", "Rodriguez"), ("Bob", None))
        ]
        for bot in bots:
            bot.start()
        page.wait_for_selector("#question:not([hidden])")
        hosting.at_the_keyboard(lambda host: host.remove("Bob"))  # Bob never answers
        page.fill("#q-input", "Robert Rodriguez")
        page.click("#q-form button")
        page.wait_for_selector("#over:not([hidden])")
        rank = page.text_content("#o-rank") or ""
        rows = page.locator("#o-standings li").all_text_contents()
        out = page.locator("#o-standings li.out").all_text_contents()
        browser.close()
    for bot in bots:
        bot.join(15)
    hosting.thread.join(30)
    assert rank.startswith("You finished 2nd of 2")  # Bob is not counted...
    assert rows[-1].startswith("Bob (removed) · 0 points")  # ...but listed, marked, last
    assert out == [rows[-1]]  # with a dash, not a place
