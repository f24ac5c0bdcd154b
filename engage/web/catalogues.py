"""How far each language's catalogue of the public pages' text is translated and reviewed.

Catalogues are machine-drafted until a fluent reviewer has checked them; staff are told which
(the public are not: a draft still reads better than a page they cannot read at all).
"""

import re
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

from engage.core.languages import TRANSLATION_LANGUAGES, Language, language

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"
MACHINE_DRAFTED = "machine-drafted, needs review"
_REVIEW_LINE = re.compile(r"^# Review: (.+)$", re.MULTILINE)


@dataclass(frozen=True)
class CatalogueStatus:
    language: Language
    translated: int
    total: int
    review: str  # MACHINE_DRAFTED, or who reviewed it and when

    @property
    def complete(self) -> bool:
        return self.total > 0 and self.translated == self.total

    @property
    def reviewed(self) -> bool:
        return self.review != MACHINE_DRAFTED


def catalogue_path(code: str) -> Path:
    return TRANSLATIONS / code / "LC_MESSAGES" / "messages.po"


def catalogue_status(code: str) -> CatalogueStatus:
    """Messages translated (not fuzzy, not empty) out of all, and the review line's state."""
    path = catalogue_path(code)
    if not path.exists():
        return CatalogueStatus(language(code), 0, 0, MACHINE_DRAFTED)
    with path.open("rb") as po:
        catalogue = read_po(po)
    messages = [message for message in catalogue if message.id]
    translated = [m for m in messages if m.string and not m.fuzzy]
    review = _REVIEW_LINE.search(path.read_text(encoding="utf-8"))
    return CatalogueStatus(
        language(code),
        len(translated),
        len(messages),
        review.group(1) if review else MACHINE_DRAFTED,
    )


def every_catalogue() -> list[CatalogueStatus]:
    return [catalogue_status(code) for code in TRANSLATION_LANGUAGES]
