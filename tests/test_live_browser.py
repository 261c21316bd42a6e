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
from collections.abc import Iterator
from pathlib import Path

import pytest
from websockets.sync.client import connect

from desperado_quiz.game import Engine, GameResult, GameSettings, TurnOrder, pick_questions
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
        self.thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)

    async def _main(self) -> None:
        self.running = await start_host(self.engine, start_with=self.players, pause=1.5)
        self.ready.set()
        self.result = await self.running.result()

    @property
    def port(self) -> int:
        assert self.running is not None
        return self.running.host.port


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
