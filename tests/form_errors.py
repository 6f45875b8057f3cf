"""A check for form pages after an invalid POST: each error is shown once, in Danish.

``assert_errors_once(response)`` finds the page's error texts (Django's error lists, the
site's error messages and alert boxes) and asserts that

- there is at least one (the POST was invalid: a page without an error is a failure too);
- each error text appears in the page's visible text exactly as often as it is listed as an
  error, and more than once only as the own error of different fields (the same "required"
  under two fields is two errors; a field error repeated in the non-field list or a message
  is one error shown twice);
- no error and no visible text says "slug", and no error is one of Django's English texts.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

ENGLISH = (
    "This field is required",
    "Enter a valid",
    "Select a valid choice",
    "Ensure this value",
    "The submitted file is empty",
    "No file was submitted",
    "is not valid",
    "Enter a whole number",
    "Enter a number",
)
_VOID = {"br", "hr", "img", "input", "meta", "link", "source", "wbr", "col", "area", "base"}
_HIDDEN = {"script", "style", "title", "head", "template", "noscript", "option"}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


@dataclass
class _Open:
    tag: str
    classes: set[str]
    attrs: dict[str, str]
    kind: str | None = None  # the error container this element is, if any
    text: list[str] = field(default_factory=list)


class _ErrorParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[_Open] = []
        self.visible: list[str] = []
        self.errors: list[tuple[str, str]] = []  # (text, container)
        self._ul_count = 0

    def _container(self) -> str | None:
        for element in reversed(self.stack):
            if element.kind:
                return element.kind
        return None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        classes = set(values.get("class", "").split())
        element = _Open(tag, classes, values)
        if tag == "ul" and "errorlist" in classes:
            self._ul_count += 1
            if "nonfield" in classes:
                element.kind = "nonfield"
            else:
                element.kind = "field:" + (values.get("id") or f"list{self._ul_count}")
        elif "message-error" in classes or (tag == "div" and values.get("role") == "alert"):
            element.kind = element.kind or "message"
        if tag in _VOID:
            return
        self.stack.append(element)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID:
            return
        while self.stack:
            element = self.stack.pop()
            self._close(element)
            if element.tag == tag:
                break

    def _close(self, element: _Open) -> None:
        text = _norm(" ".join(element.text))
        container = None
        if element.tag == "li":
            container = self._container()
        elif element.tag == "p" and "message-error" in element.classes:
            container = "message"
        if container and text:
            self.errors.append((text, container))
        if self.stack and text:
            self.stack[-1].text.append(text)

    def handle_data(self, data: str) -> None:
        if any(e.tag in _HIDDEN for e in self.stack):
            return
        self.visible.append(data)
        if self.stack:
            self.stack[-1].text.append(data)


def errors_on(html: str) -> tuple[list[tuple[str, str]], str]:
    parser = _ErrorParser()
    parser.feed(html)
    parser.close()
    return parser.errors, _norm(" ".join(parser.visible))


def assert_errors_once(response: Any) -> list[str]:
    """See the module doc; returns the error texts found."""
    html = response.content.decode() if hasattr(response, "content") else str(response)
    errors, visible = errors_on(html)
    assert errors, "no error is shown on the page"
    by_text: dict[str, list[str]] = {}
    for text, container in errors:
        by_text.setdefault(text, []).append(container)
    counted = Counter(text for text, _ in errors)
    for text, containers in by_text.items():
        shown = visible.count(text)
        assert shown == counted[text], f"{text!r} is shown {shown} times, listed {counted[text]}"
        if len(containers) > 1:
            assert all(c.startswith("field:") for c in containers), (
                f"{text!r} is shown twice: {containers}"
            )
            assert len(set(containers)) == len(containers), f"{text!r} twice at one field"
        for english in ENGLISH:
            assert english not in text, f"English error text: {text!r}"
    assert "slug" not in visible.lower(), "the page says 'slug'"
    return list(by_text)
