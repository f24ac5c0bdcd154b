"""Which language this request's pages are shown in, for Flask-Babel and the templates.

The person's choice (a `?lang=` link on every public page) is kept in their session; without
one, the browser's Accept-Language picks among the languages engage offers.
"""

from flask import Flask, request, session
from flask_babel import Babel

from engage.core.languages import DEFAULT_LANGUAGE, LANGUAGES, language

LANGUAGE_KEY = "lang"


def current_language() -> str:
    """The code of the language this request is shown in."""
    chosen = request.args.get(LANGUAGE_KEY)
    if chosen in LANGUAGES:
        return chosen
    kept = session.get(LANGUAGE_KEY)
    if kept in LANGUAGES:
        return kept
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LANGUAGE


def _remember_chosen_language() -> None:
    chosen = request.args.get(LANGUAGE_KEY)
    if chosen in LANGUAGES and session.get(LANGUAGE_KEY) != chosen:
        session[LANGUAGE_KEY] = chosen


def register_languages(app: Flask) -> None:
    Babel(app, locale_selector=current_language)
    app.before_request(_remember_chosen_language)
    app.jinja_env.globals.update(
        languages=LANGUAGES,
        page_language=lambda: language(current_language()),
    )
