"""The crawl: every demo persona (and an anonymous visitor) follows every same-site link it can
reach from the start page, the back office included for the organisation's administrator, and
every page passes axe-core at desktop width and at a phone's 390 px, where no page may scroll
sideways.

Bounded so that it runs in a few minutes on two cores: one browser, one context per persona,
pages deduplicated by URL pattern (Django's route plus the names of the query parameters), a cap
of pages per persona, and the phone width checked once per URL pattern across all personas.
Logout, the language switch, downloads and the API are not followed.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlparse

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import Browser, BrowserContext, Page

from lokalsamfund.core.demo import DEMO_PASSWORD, DEMO_USERS, load_demo

from .conftest import AXE_OPTIONS, BROWSERS_OWN, _axe

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
MAX_PAGES_PER_PERSONA = 140
SKIP_PREFIXES = (
    "/api/",
    "/static/",
    "/i18n/",
    "/logout",
    "/backoffice/logout/",
    "/backoffice/jsi18n/",
    "/backoffice/autocomplete/",
    "/backoffice/r/",  # "view on site": a redirect to a page the crawl reaches anyway
)
DOWNLOAD_ENDINGS = (".pdf", ".ics", ".csv", ".xlsx", ".json", ".txt")
# In the back office only the pages the crawl is for: indexes, every model's list, add and
# change page (history and delete confirmations are Django's own and add nothing but time).
BACKOFFICE_SKIP_ENDINGS = ("/history/", "/delete/")


@dataclass
class Crawl:
    """What the crawl saw and what it found wrong, across personas."""

    phone_checked: set[str] = field(default_factory=set)
    visited: dict[str, list[str]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    axe_runs: int = 0


def _route(path: str) -> str | None:
    """Django's URL pattern of ``path`` (``None`` if no view answers it)."""
    try:
        match = resolve(urlparse(path).path)
    except Resolver404:
        return None
    return match.route


def _pattern_key(path: str) -> str | None:
    parsed = urlparse(path)
    route = _route(parsed.path)
    if route is None:
        return None
    keys = sorted({k for k, _ in parse_qsl(parsed.query, keep_blank_values=True)})
    return route + ("?" + "&".join(keys) if keys else "")


def _followable(href: str | None, *, backoffice: bool) -> str | None:
    if not href:
        return None
    parsed = urlparse(href)
    if parsed.scheme or parsed.netloc or not parsed.path.startswith("/"):
        return None
    path = parsed.path
    if path.startswith(SKIP_PREFIXES) or path.endswith(DOWNLOAD_ENDINGS):
        return None
    if path.startswith("/backoffice/") and (
        not backoffice or path.endswith(BACKOFFICE_SKIP_ENDINGS) or parsed.query
    ):
        return None  # filters and sort orders of a list are the same page
    return path + (f"?{parsed.query}" if parsed.query else "")


def _links(page: Page, *, backoffice: bool) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "a[href]:not([download])", "els => els.map(e => e.getAttribute('href'))"
    )
    return [p for h in hrefs if (p := _followable(h, backoffice=backoffice)) is not None]


def _axe_problems(page: Page, crawl: Crawl, where: str) -> list[str]:
    results = _axe.run(page, options=AXE_OPTIONS)
    crawl.axe_runs += 1
    found = []
    for violation in results.response["violations"]:
        targets = [str(n["target"]) for n in violation["nodes"]]
        found.append(
            f"{where}: axe {violation['id']} ({violation['help']}) at {', '.join(targets[:3])}"
        )
    return found


def _phone_key(route: str, query_key: str) -> str:
    """Pages of one kind are checked at 390 px once: the back office's list, add and change
    pages share Django's templates whatever the model, the rest once per URL pattern."""
    parts = route.split("/")
    if route.startswith("backoffice/") and len(parts) > 3:
        return "/".join(["backoffice", "*", "*", *parts[3:]])
    return query_key


# Tables wider than their place must use the one pattern: <div class="table-wrap"
# role="region" tabindex="0" aria-label(ledby)>; returns the captions of those that do not.
UNWRAPPED_WIDE_TABLES = """() => Array.from(document.querySelectorAll('main table')).filter(t => {
  const wrap = t.closest('.table-wrap');
  const wide = wrap ? wrap.scrollWidth > wrap.clientWidth + 1
    : t.getBoundingClientRect().right > document.documentElement.clientWidth;
  return wide && !(wrap && wrap.getAttribute('role') === 'region'
    && wrap.getAttribute('tabindex') === '0'
    && (wrap.hasAttribute('aria-label') || wrap.hasAttribute('aria-labelledby')));
}).map(t => (t.caption ? t.caption.textContent : t.outerHTML).trim().slice(0, 60))"""


def _scrolls_sideways(page: Page) -> bool:
    return bool(page.evaluate("document.documentElement.scrollWidth > window.innerWidth"))


def _check_page(page: Page, path: str, who: str, crawl: Crawl) -> list[str]:
    """Visit ``path`` at desktop width (and at 390 px once per pattern); return its links."""
    page.set_viewport_size(DESKTOP)
    response = page.goto(path)
    where = f"{who} {path}"
    if response is None or response.status >= 400:
        crawl.problems.append(f"{where}: answered {response.status if response else 'nothing'}")
        return []
    route = _route(urlparse(page.url).path) or path
    crawl.problems.extend(_axe_problems(page, crawl, where))
    key = _phone_key(route, _pattern_key(urlparse(page.url).path) or path)
    if key not in crawl.phone_checked:
        crawl.phone_checked.add(key)
        page.set_viewport_size(PHONE)
        crawl.problems.extend(_axe_problems(page, crawl, f"{where} (390 px)"))
        unwrapped = [] if route.startswith("backoffice/") else page.evaluate(UNWRAPPED_WIDE_TABLES)
        if unwrapped:
            crawl.problems.append(f"{where} (390 px): wide tables not in .table-wrap: {unwrapped}")
        if _scrolls_sideways(page):
            width = page.evaluate("document.documentElement.scrollWidth")
            crawl.problems.append(f"{where} (390 px): scrolls sideways ({width} px wide)")
    return _links(page, backoffice=who == "admin@eksempel.dk")


def _crawl_persona(context: BrowserContext, who: str, crawl: Crawl) -> None:
    page = context.new_page()
    seen_patterns: set[str] = set()
    visited: list[str] = []
    queue = ["/"]
    while queue and len(visited) < MAX_PAGES_PER_PERSONA:
        path = queue.pop(0)
        key = _pattern_key(path)
        if key is None or key in seen_patterns:
            continue
        seen_patterns.add(key)
        visited.append(path)
        queue.extend(_check_page(page, path, who, crawl))
        if who == "admin@eksempel.dk" and path == "/":
            queue.append("/backoffice/")
    crawl.visited[who] = visited
    page.close()


@pytest.fixture
def persona_context(browser: Browser, live_server: Any) -> Iterator[Any]:
    contexts: list[BrowserContext] = []
    external: list[str] = []

    def make(email: str | None) -> BrowserContext:
        context = browser.new_context(base_url=live_server.url, locale="da-DK")
        context.on(
            "request",
            lambda r: (
                None
                if r.url.startswith((live_server.url, *BROWSERS_OWN))
                else external.append(r.url)
            ),
        )
        contexts.append(context)
        if email is not None:
            page = context.new_page()
            page.goto("/login/")
            page.fill("#id_username", email)
            page.fill("#id_password", DEMO_PASSWORD)
            with page.expect_navigation():
                page.click("main button[type=submit]")
            assert "/login/" not in page.url, f"Login failed for {email}"
            page.close()
        return context

    yield make
    for context in contexts:
        context.close()
    assert not external, f"Pages requested other hosts: {external}"


def test_every_reachable_page_passes_axe_at_desktop_and_phone_width(
    persona_context: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    load_demo()
    crawl = Crawl()
    started = time.monotonic()
    for who in [None, *(u[0] for u in DEMO_USERS)]:
        _crawl_persona(persona_context(who), who or "anonymous", crawl)
    pages = {who: len(paths) for who, paths in crawl.visited.items()}
    with capsys.disabled():  # shown without -s: what the crawl covered and how long it took
        print(
            f"\ncrawl: {sum(pages.values())} pages {pages}, {len(crawl.phone_checked)} at 390 px,"
            f" {crawl.axe_runs} axe runs in {time.monotonic() - started:.0f} s"
        )
    # The crawl really went places: the back office's lists and forms, and each persona's tools.
    admin_pages = crawl.visited["admin@eksempel.dk"]
    assert any(p.endswith("/add/") for p in admin_pages), admin_pages
    assert any(p.endswith("/change/") for p in admin_pages), admin_pages
    assert len(crawl.visited["koordinator@eksempel.dk"]) > 10, crawl.visited
    assert "/s/" in crawl.visited["anonymous"], crawl.visited["anonymous"]
    assert not crawl.problems, "\n".join(crawl.problems)
