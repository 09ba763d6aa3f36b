"""The web inspector at /inspect, as its users see it: Debian's chromium driven by Playwright
against a real `longmem serve`, seeded over the HTTP API.

Needs /usr/bin/chromium (.ci/run installs it). Without it the tests fail, and say so: a
skipped browser test would let a broken page land unnoticed. Playwright's own browser
download is not used (this machine cannot fetch it)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, Request, expect, sync_playwright

from longmem.benchmark.served import Served, clean_env

CHROMIUM = Path(os.environ.get("LONGMEM_TEST_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    *("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"),
    *("--disable-background-networking", "--disable-component-update", "--disable-sync"),
]
SCREENSHOT = Path(__file__).parents[1] / "docs" / "inspector.png"
KEY = "inspector-key"

ADA = "ada"
CAROL = "carol"
# The screenshot's user: searched by no other test, so its access counts (recorded in the
# background) are the same at every run, and so is the image.
MAYA = "maya"
ADA_TURNS = [
    "I live in Berlin.",
    "I work as a nurse at the Charité hospital.",
    "I am allergic to peanuts, so please keep that in mind for recipes.",
    "I prefer dark roast coffee, an espresso in the morning.",
    "Please always answer in short bullet points.",
    "I promised to send the rota to my team by Friday.",
    "Big news: I moved to Hamburg last month.",
]
# Stored text that would run if the page ever parsed it as markup.
SCRIPT = "<script>window.__pwned=1</script>"
IMAGE = '<img src=x onerror="window.__pwned=2">'
LONG_WORD = "https://example.invalid/" + "x" * 300  # no break opportunity: must wrap anyway


def post(base: str, path: str, body: dict[str, Any], key: str | None = None) -> Any:
    headers = {"X-API-Key": key} if key else {}
    response = httpx.post(f"{base}{path}", json=body, headers=headers, timeout=60)
    response.raise_for_status()
    return response.json()


def seed(base: str, key: str | None = None) -> None:
    turns = [{"content": text} for text in ADA_TURNS]
    for user in (ADA, MAYA):
        post(base, "/turns", {"user_id": user, "turns": turns, "wait": True}, key)
    for content in (SCRIPT, IMAGE, LONG_WORD):
        post(base, "/memories", {"user_id": ADA, "type": "fact", "content": content}, key)
    post(base, "/turns", {"user_id": "bob", "turns": [{"content": "I like green tea."}]}, key)
    # Only an explicit memory, no turn: the store does not list such a user (yet), so the page
    # opens it by its typed id.
    post(base, "/memories", {"user_id": CAROL, "type": "fact", "content": "Carol is vegan"}, key)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    home = tmp_path_factory.mktemp("inspector")
    service = Served(clean_env(home), home / "serve.log").start()
    try:
        seed(service.base)
        yield service
    finally:
        service.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(
            f"no chromium at {CHROMIUM}: install Debian's (apt-get install chromium, as .ci/run "
            "does) or point LONGMEM_TEST_CHROMIUM at one; never `playwright install` here"
        )
    with sync_playwright() as playwright:
        found = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield found
        finally:
            found.close()


class Tab:
    """A page of a fresh browser context, with what it requested and what it threw."""

    def __init__(self, browser: Browser, origin: str, width: int = 1280, height: int = 900):
        self.origin = origin
        self.context = browser.new_context(viewport={"width": width, "height": height})
        self.page = self.context.new_page()
        self.page.set_default_timeout(15_000)
        self.requests: list[Request] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self) -> Page:
        self.page.goto(f"{self.origin}/inspect")
        return self.page

    def close(self) -> None:
        self.context.close()
        assert not self.errors, self.errors
        elsewhere = [r.url for r in self.requests if not r.url.startswith((self.origin, "data:"))]
        assert not elsewhere, f"the page fetched from elsewhere: {elsewhere}"


def origin(service: Served) -> str:
    return f"http://127.0.0.1:{service.port}"


@pytest.fixture
def tab(browser: Browser, served: Served) -> Iterator[Tab]:
    found = Tab(browser, origin(served))
    yield found
    found.close()


def pick(page: Page, user: str) -> None:
    expect(page.locator(f"#user option[value='{user}']")).to_be_attached()
    page.select_option("#user", user)
    expect(page.locator("#memories li[data-memory-id]").first).to_be_visible()


def listed(served: Served, user: str, **query: Any) -> list[str]:
    page = httpx.get(f"{served.base}/memories/{user}", params=query, timeout=30).json()
    return [m["content"] for m in page["items"]]


def test_the_page_loads_at_inspect_and_lists_a_users_memories(tab: Tab, served: Served):
    page = tab.open()
    assert page.url.endswith("/inspect/")
    expect(page).to_have_title("longmem inspector")
    expect(page.locator("#health")).to_have_text("service ok")
    expect(page.locator("#user option[value='bob']")).to_be_attached()
    options = page.locator("#user option:not([value=''])").all_text_contents()
    assert ADA in options and "bob" in options
    pick(page, ADA)
    expect(page.locator("#memories li .text")).to_have_text(listed(served, ADA))
    expect(page.locator("#stats")).to_contain_text("turns seen")
    served_page = httpx.get(f"{origin(served)}/inspect/", timeout=10)
    assert served_page.status_code == 200
    policy = served_page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_stored_markup_is_shown_as_text_and_never_runs(tab: Tab):
    page = tab.open()
    pick(page, ADA)
    expect(page.locator("#memories .text", has_text=SCRIPT)).to_have_text(SCRIPT)
    expect(page.locator("#memories .text", has_text="onerror")).to_have_text(IMAGE)
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#memories script, #memories img").count() == 0
    assert page.locator("script").count() == 1  # the inspector's own
    page.locator("#memories .text", has_text=SCRIPT).click()
    expect(page.locator("#details .memory-content")).to_have_text(SCRIPT)
    assert page.evaluate("window.__pwned") is None


def test_a_user_id_typed_in_opens_that_user(tab: Tab):
    page = tab.open()
    page.fill("#user-id", CAROL)
    page.click("#open-user button[type=submit]")
    expect(page.locator("#memories li .text")).to_have_text(["Carol is vegan"])
    expect(page.locator("#user")).to_have_value(CAROL)


def test_filters_by_kind_type_and_status(tab: Tab, served: Served):
    page = tab.open()
    pick(page, ADA)
    rows = page.locator("#memories li .text")
    page.select_option("#kind", "semantic")
    expect(rows).to_have_text(listed(served, ADA, kinds="semantic"))
    expect(page.locator("#memories li[data-kind='episodic']")).to_have_count(0)
    page.select_option("#type", "preference")
    expect(rows).to_have_text(["User prefers dark roast coffee, an espresso in the morning"])
    page.select_option("#type", "")
    page.select_option("#status", "superseded")
    expect(rows).to_have_text(["User lives in Berlin"])
    page.select_option("#kind", "")
    page.select_option("#status", "any")
    everything = listed(served, ADA, statuses=["active", "superseded", "deleted"])
    expect(rows).to_have_text(everything)
    assert "User lives in Berlin" in everything


def test_search_shows_each_results_score_parts_and_why_it_ranked_there(tab: Tab):
    page = tab.open()
    pick(page, ADA)
    page.fill("#query", "Where does Ada live now?")
    page.click("#search-form button[type=submit]")
    results = page.locator("#results li.result")
    expect(results.first).to_be_visible()
    expect(results.first.locator(".text")).to_have_text("User lives in Hamburg")
    for i in range(results.count()):
        parts = results.nth(i).locator(".part")
        names = [parts.nth(j).get_attribute("data-part") for j in range(parts.count())]
        assert names == [
            *("semantic", "dense", "lexical", "relevance", "recency", "access", "confidence")
        ]
        for value in parts.locator(".value").all_text_contents():
            assert re.fullmatch(r"-?\d+\.\d\d", value), value
        why = results.nth(i).locator(".why").inner_text()
        assert re.match(rf"#{i + 1}: match \d\.\d\d, mostly from (meaning|shared words)", why)
    first = results.first.locator(".why").inner_text()
    assert re.search(r"(ahead of|tied on match with) #2", first), first
    assert re.search(r"score \d\.\d{3}: (relevance|recency|access|confidence) \d\.\d\d", first)
    expect(page.locator("#search-note")).to_contain_text(re.compile(r"results in \d+\.\d ms"))


def test_a_tie_on_match_is_explained_by_the_weighted_part_that_decided_it(tab: Tab):
    """Two hits within 0.02 on match are ordered by their weighted relevance, recency and
    confidence: the line names the part whose weighted difference is largest, which need not
    be the largest raw difference (the page reads the weights from GET /scoring)."""
    page = tab.open()
    page.route(
        "**/api/v1/memories/*/search",
        lambda route: route.fulfill(json=search_with_a_tie(route.request.url)),
    )
    pick(page, ADA)
    page.fill("#query", "anything")
    page.click("#search-form button[type=submit]")
    why = page.locator("#results .why")
    expect(why).to_have_count(2)
    # relevance 0.05 vs 0.00 weighs 0.4 x 0.05 = 0.02; confidence 0.85 vs 1.00 only 0.1 x 0.15
    expect(why.nth(0)).to_contain_text("tied on match with #2, placed above it by relevance")
    expect(why.nth(1)).to_contain_text("tied on match with #1, placed above this one by relevance")


def search_with_a_tie(url: str) -> dict[str, Any]:
    """A search answer of two hits tied on match (as the screenshot's query once gave)."""
    user = url.split("/memories/")[1].split("/")[0]

    def hit(content: str, relevance: float, confidence: float, score: float) -> dict[str, Any]:
        parts = {"semantic": 0.40, "dense": 0.2, "lexical": 0.0, "recency": 1.0, "access": 0.0}
        memory = a_record(user, content)
        return {
            "memory": memory,
            "score": score,
            "parts": {**parts, "relevance": relevance, "confidence": confidence},
            "outdated": False,
        }

    return {
        "user_id": user,
        "query": "anything",
        "results": [hit("first", 0.05, 0.85, 0.405), hit("second", 0.0, 1.0, 0.4)],
        "retrieval_ms": 1.0,
    }


def a_record(user: str, content: str) -> dict[str, Any]:
    at = "2026-01-01T00:00:00Z"
    return {
        "memory_id": content,
        "user_id": user,
        "kind": "semantic",
        "type": "fact",
        "content": content,
        "status": "active",
        "version": 1,
        "metadata": {"created_at": at, "updated_at": at, "confidence": 1.0},
    }


def test_a_memorys_history_and_supersede_chain_with_reasons(tab: Tab):
    page = tab.open()
    pick(page, ADA)
    page.select_option("#status", "superseded")
    page.locator("#memories .text", has_text="User lives in Berlin").click()
    expect(page.locator("#details .memory-content")).to_have_text("User lives in Berlin")
    history = page.locator("#history li")
    expect(history).to_have_count(2)
    expect(history.nth(0)).to_contain_text("create")
    expect(history.nth(1)).to_contain_text("supersede")
    expect(history.nth(1)).to_contain_text("'Hamburg' replaces 'Berlin'")
    chain = page.locator("#chain li")
    expect(chain).to_have_count(2)
    expect(chain.nth(0)).to_contain_text("User lives in Berlin")
    expect(chain.nth(0).locator(".reason")).to_contain_text("'Hamburg' replaces 'Berlin'")
    expect(chain.nth(1)).to_contain_text("User lives in Hamburg")
    # Following the chain forward opens the memory that replaced it, with the same chain.
    chain.nth(1).locator("button").click()
    expect(page.locator("#details .memory-content")).to_have_text("User lives in Hamburg")
    expect(page.locator("#chain li.current")).to_contain_text("User lives in Hamburg")


def test_erasing_a_user_asks_for_its_id_then_the_user_is_gone(tab: Tab, served: Served):
    page = tab.open()
    pick(page, "bob")
    erase = page.locator("#erase")
    expect(erase).to_be_disabled()
    page.fill("#erase-confirm", "bo")
    expect(erase).to_be_disabled()
    page.fill("#erase-confirm", "bob")
    expect(erase).to_be_enabled()
    erase.click()
    expect(page.locator("#users-note")).to_contain_text("Erased bob")
    expect(page.locator("#user option[value='bob']")).not_to_be_attached()
    expect(page.locator("#memories-card")).to_be_hidden()
    users = httpx.get(f"{served.base}/users", timeout=10).json()["users"]
    assert users == [ADA, CAROL, MAYA]  # Carol holds only explicit memories


def test_at_phone_width_one_column_and_nothing_overflows(browser: Browser, served: Served):
    phone = Tab(browser, origin(served), width=390, height=844)
    try:
        page = phone.open()
        pick(page, ADA)
        page.fill("#query", "peanuts")
        page.click("#search-form button[type=submit]")
        expect(page.locator("#results li.result").first).to_be_visible()
        page.locator("#memories .text", has_text="example.invalid").click()
        expect(page.locator("#details .memory-content")).to_have_text(LONG_WORD)
        width, viewport = page.evaluate(
            "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
        )
        assert width <= viewport, f"page is {width}px wide in a {viewport}px viewport"
        side = page.locator(".side").bounding_box()
        content = page.locator(".content").bounding_box()
        assert side and content and content["y"] > side["y"] and content["x"] == side["x"]
    finally:
        phone.close()


def test_with_api_keys_the_page_asks_for_one_and_keeps_it_for_the_tab(
    browser: Browser, tmp_path: Path
):
    service = Served(clean_env(tmp_path, API_KEYS=f"{KEY}:inspected"), tmp_path / "log").start()
    tab = Tab(browser, origin(service))
    try:
        seed(service.base, KEY)
        page = tab.open()
        dialog = page.locator("#key-dialog")
        expect(dialog).to_be_visible()
        expect(page.locator("#key-reason")).to_contain_text("needs an API key")
        page.fill("#key-input", "not-the-key")
        page.click("#key-form button[type=submit]")
        expect(page.locator("#key-reason")).to_contain_text("not known")
        expect(dialog).to_be_visible()
        page.fill("#key-input", KEY)
        page.click("#key-form button[type=submit]")
        expect(dialog).to_be_hidden()
        pick(page, ADA)
        assert page.evaluate("sessionStorage.getItem('longmem.inspector.apiKey')") == KEY
        # Kept for the tab: a reload asks nothing, and every API call carries the key.
        tab.requests.clear()
        page.reload()
        pick(page, ADA)
        expect(dialog).to_be_hidden()
        calls = [r for r in tab.requests if "/api/v1/" in r.url and "/health" not in r.url]
        assert calls and all(r.headers.get("x-api-key") == KEY for r in calls)
        page.click("#forget-key")
        expect(dialog).to_be_visible()
    finally:
        tab.close()
        service.stop()


def test_screenshot_for_the_readme(tab: Tab):
    """docs/inspector.png: a user, their stats and a search with its score parts."""
    page = tab.open()
    page.set_viewport_size({"width": 1280, "height": 1000})
    pick(page, MAYA)
    page.fill("#query", "What should I keep in mind when cooking for Maya?")
    page.click("#search-form button[type=submit]")
    expect(page.locator("#results li.result").first).to_be_visible()
    SCREENSHOT.parent.mkdir(exist_ok=True)
    # Without the search's time, the only part that changes from run to run: the committed
    # image stays as it is unless the page changed. (Playwright's `style` option injects a
    # <style>, which the page's Content-Security-Policy refuses.)
    page.locator("#search-note .timing").evaluate("node => { node.hidden = true; }")
    page.screenshot(path=str(SCREENSHOT))
    assert SCREENSHOT.stat().st_size > 10_000
