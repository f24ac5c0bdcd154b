"""Doing a journey with the keyboard alone: Tab to each control, type, Space to tick, arrows to
choose, Enter to follow a link or press a button."""

import re
from datetime import date
from pathlib import Path

MAX_TABS = 200  # per page: every control of the longest form, with room to spare

FOCUSED = """() => {
  const el = document.activeElement;
  const label = el.labels && el.labels[0] ? el.labels[0].innerText : '';
  return {tag: el.tagName, type: el.type || '', id: el.id || '', name: el.name || '',
          label: label, text: (el.innerText || el.value || '').trim()};
}"""


def tab_to(page, matches, act=None) -> dict:
    """Press Tab until the focused control matches (letting `act` handle each one passed on
    the way); return what is focused."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if matches(focused):
            return focused
        if act is not None:
            act(page, focused)
    raise AssertionError(f"no matching control within {MAX_TABS} presses of Tab")


def press(page, name: str) -> None:
    """Tab to the link or button whose text starts with `name` and press Enter."""
    tab_to(page, lambda f: f["tag"] in ("A", "BUTTON") and f["text"].startswith(name))
    with page.expect_navigation():
        page.keyboard.press("Enter")


def fill(page, entries: list[tuple[str, str]]) -> None:
    """Visit each field (by id, in page order) with Tab and enter its value by keyboard.

    Text: typed. Checkbox: Space. Radio group: the value is the wanted option's id, reached
    with the arrow keys. Select: the option's text, typed to jump to it. Date: typed as the
    en-US date field expects (month, day, year).
    """
    for field_id, value in entries:
        focused = tab_to(
            page,
            lambda f, wanted=field_id: (
                f["id"] == wanted
                or (f["type"] == "radio" and wanted.startswith(f["id"].rsplit("-", 1)[0] + "-"))
            ),
        )
        kind = focused["type"]
        if kind == "checkbox":
            page.keyboard.press("Space")
        elif kind == "radio":
            for _ in range(10):
                if page.evaluate("document.activeElement.id") == value:
                    break
                page.keyboard.press("ArrowDown")
            page.keyboard.press("Space")
        elif kind == "date":
            page.keyboard.type(f"{date.fromisoformat(value):%m%d%Y}")
        elif focused["tag"] == "SELECT":
            page.keyboard.type(value)
        else:
            page.keyboard.press("Control+A")
            page.keyboard.type(value)


def links_mailed_to(outbox: Path, recipient: str, path: str) -> list[str]:
    """The links containing `path` in the messages the app wrote to its outbox for `recipient`."""
    links = []
    for message in sorted(outbox.iterdir()):
        text = message.read_text()
        if re.search(rf"^To: .*{re.escape(recipient)}", text, re.MULTILINE):
            links += re.findall(rf"http://\S+{re.escape(path)}[^\s>]+", text)
    return links
