"""Plain English checks for what staff write: reading age, long sentences, passive voice, jargon.

The GOV.UK style guide aims for a reading age of 9 and sentences of 25 words at most. The
reading age is the Flesch-Kincaid grade (textstat, which counts syllables with the CMU
pronouncing dictionary and hyphenation patterns, both shipped with it: nothing is fetched) plus
five, the age at which a US school grade starts. Pure: text in, findings out.
"""

import re
from dataclasses import dataclass, field

import textstat

AIM_READING_AGE = 9
LONG_SENTENCE_WORDS = 25
# US school grade 1 starts at age 6, so a grade's reading age is the grade plus five.
GRADE_TO_AGE = 5

# A short list, after GOV.UK's "words to avoid", with what to say instead.
JARGON = {
    "agenda": "plan",
    "collaborate": "work with",
    "combat": "stop, solve or fix",
    "deliver": "make, give or provide",
    "deploy": "use or send",
    "dialogue": "talking, conversation",
    "empower": "allow, let or help",
    "engagement": "working with, talking to",
    "facilitate": "help or make possible",
    "foster": "encourage, build",
    "going forward": "from now on, in future",
    "impact": "effect, or say what changes",
    "initiative": "plan, project or scheme",
    "key": "important, main",
    "leverage": "use",
    "liaise": "work with, talk to",
    "overarching": "main, overall",
    "robust": "strong, well thought out",
    "stakeholders": "say who you mean",
    "streamline": "simplify",
    "tackle": "stop, solve or deal with",
    "utilise": "use",
}
_JARGON_PATTERN = re.compile(
    r"\b(" + "|".join(re.escape(word) for word in sorted(JARGON, key=len, reverse=True)) + r")\b",
    re.IGNORECASE,
)
_IRREGULAR_PARTICIPLES = (
    "been|begun|broken|brought|built|bought|caught|chosen|done|drawn|driven|eaten|fallen|felt|"
    "found|forgotten|given|gone|grown|heard|held|hidden|hit|hurt|kept|known|laid|led|left|lent|"
    "lost|made|meant|met|paid|put|read|run|said|seen|sent|set|shown|shut|sold|spent|spoken|"
    "stolen|struck|taken|taught|thought|thrown|told|understood|won|withdrawn|written"
)
_PASSIVE_PATTERN = re.compile(
    r"\b(?:am|is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?"
    r"(\w{2,}ed|" + _IRREGULAR_PARTICIPLES + r")\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_WORD = re.compile(r"[A-Za-z0-9’']+")


@dataclass(frozen=True)
class PlainEnglish:
    """What a text's reader faces: its reading age and the phrases worth changing."""

    words: int
    reading_age: int | None
    long_sentences: list[str] = field(default_factory=list)
    passive_phrases: list[str] = field(default_factory=list)
    jargon: list[tuple[str, str]] = field(default_factory=list)

    @property
    def meets_aim(self) -> bool:
        return self.reading_age is None or self.reading_age <= AIM_READING_AGE

    @property
    def flagged(self) -> bool:
        return bool(self.long_sentences or self.passive_phrases or self.jargon)


def sentences(text: str) -> list[str]:
    """The text's sentences: split after full stops, question and exclamation marks, and lines."""
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def reading_age(text: str) -> int | None:
    """The age by which most readers can follow the text, or None when it has no words."""
    if not _WORD.search(text):
        return None
    grade = textstat.flesch_kincaid_grade(text)
    return max(GRADE_TO_AGE + 1, round(grade + GRADE_TO_AGE))


def long_sentences(text: str, limit: int = LONG_SENTENCE_WORDS) -> list[str]:
    """Sentences of more than `limit` words."""
    return [sentence for sentence in sentences(text) if len(_WORD.findall(sentence)) > limit]


def passive_phrases(text: str) -> list[str]:
    """Phrases that look like the passive voice ("was decided", "are being reviewed")."""
    return [match.group(0) for match in _PASSIVE_PATTERN.finditer(text)]


def jargon(text: str) -> list[tuple[str, str]]:
    """Each listed jargon word used, once, with a plainer alternative, in order of use."""
    found: dict[str, str] = {}
    for match in _JARGON_PATTERN.finditer(text):
        word = match.group(1).lower()
        found.setdefault(word, JARGON[word])
    return list(found.items())


def check_plain_english(text: str) -> PlainEnglish:
    """Reading age, long sentences, passive voice and jargon of one text."""
    return PlainEnglish(
        words=len(_WORD.findall(text)),
        reading_age=reading_age(text),
        long_sentences=long_sentences(text),
        passive_phrases=passive_phrases(text),
        jargon=jargon(text),
    )
