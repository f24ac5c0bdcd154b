"""Every catalogue keeps up with the text marked for translation, and the build compiles it."""

import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from engage.core.languages import TRANSLATION_LANGUAGES
from engage.web.catalogues import TRANSLATIONS, catalogue_path, catalogue_status

ROOT = TRANSLATIONS.parents[1]
KEYWORDS = {"_": None, "gettext": None, "lazy_gettext": None, "translatable": None}
PLACEHOLDER = re.compile(r"%\(\w+\)s")


def _marked_messages() -> set[str]:
    """What `make catalogues` extracts (babel.cfg): marked text in engage/ and templates/."""
    found: set[str] = set()
    for folder, method in (("engage", "python"), ("templates", "jinja2")):
        pattern = "**.py" if method == "python" else "**.html"
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=[(pattern, method)], keywords=KEYWORDS
        ):
            if isinstance(message, str) and message:
                found.add(message)
    return found


@pytest.fixture(scope="module")
def marked() -> set[str]:
    messages = _marked_messages()
    assert len(messages) > 100  # the extraction still finds the journey's text
    return messages


@pytest.mark.parametrize("code", TRANSLATION_LANGUAGES)
def test_every_marked_message_is_translated_in_each_catalogue(marked, code):
    with catalogue_path(code).open("rb") as po:
        catalogue = read_po(po)
    translated = {m.id: m.string for m in catalogue if m.id and m.string and not m.fuzzy}
    missing = sorted(marked - translated.keys())
    assert missing == [], f"{code}: run `make catalogues` and translate {missing[:5]}"


@pytest.mark.parametrize("code", TRANSLATION_LANGUAGES)
def test_translations_keep_every_placeholder(code):
    with catalogue_path(code).open("rb") as po:
        catalogue = read_po(po)
    broken = [
        m.id
        for m in catalogue
        if m.id
        and m.string
        and sorted(PLACEHOLDER.findall(m.id)) != sorted(PLACEHOLDER.findall(m.string))
    ]
    assert broken == []


def test_a_catalogue_counts_only_real_translations(tmp_path, monkeypatch):
    folder = tmp_path / "pl" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "messages.po").write_text(
        "# Review: reviewed by A. Nowak, 2026-12-05\n"
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Yes"\nmsgstr "Tak"\n\n'
        'msgid "No"\nmsgstr ""\n\n'
        '#, fuzzy\nmsgid "Continue"\nmsgstr "Dalej"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr("engage.web.catalogues.TRANSLATIONS", tmp_path)
    status = catalogue_status("pl")
    assert (status.translated, status.total, status.complete) == (1, 3, False)
    assert status.reviewed and status.review == "reviewed by A. Nowak, 2026-12-05"
