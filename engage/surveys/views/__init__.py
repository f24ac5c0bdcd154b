"""Survey pages, split by who uses them: the public, survey builders, event staff, results."""

from engage.surveys.views import (  # noqa: F401  (routes register on import)
    builder,
    draws,
    events,
    exports,
    kiosk,
    plain_english,
    populations,
    public,
    published,
    questions,
    results,
    sections,
    updates,
)
