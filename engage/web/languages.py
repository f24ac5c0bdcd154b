"""Which language this request's pages are shown in, for Flask-Babel and the templates.

The public choose a language with a link on every public page (`?lang=ur`); the choice is kept
in their session. Without one, the browser's Accept-Language picks among the languages engage
offers. Staff pages are written for staff in English and are not translated, so they stay in
English whatever the browser asks for: half-translated pages help nobody.
"""

from urllib.parse import urlencode

from flask import Flask, g, has_request_context, request, session, url_for
from flask_babel import Babel, refresh
from flask_login import current_user

from engage.core.languages import DEFAULT_LANGUAGE, LANGUAGES, Language, language

LANGUAGE_KEY = "lang"
LONGEST_CODE_SHOWN = 20  # an asked-for code is repeated back in the notice, cut to this


def _staff_page() -> bool:
    return request.path.startswith("/staff") or bool(
        getattr(current_user, "is_authenticated", False)
        and getattr(current_user, "is_staff", False)
    )


def current_language() -> str:
    """The code of the language this request is shown in (English for commands and jobs)."""
    if not has_request_context() or _staff_page():
        return DEFAULT_LANGUAGE
    chosen = request.args.get(LANGUAGE_KEY)
    if chosen in LANGUAGES:
        return chosen
    kept = session.get(LANGUAGE_KEY)
    if kept in LANGUAGES:
        return kept
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LANGUAGE


def page_language() -> Language:
    return language(current_language())


def unsupported_language() -> str | None:
    """The code a `?lang=` link asked for when engage does not offer it, for the page to say so."""
    return g.get("unsupported_language")


def link_in(code: str) -> str:
    """This page in another language: the same address with `?lang=` set, for a GET; after a
    POST (a form shown again with its errors) the home page, as the address takes no GET."""
    if request.method != "GET":
        return url_for("web.home", lang=code)
    args = request.args.to_dict()
    args[LANGUAGE_KEY] = code
    return f"{request.path}?{urlencode(args)}"


def _remember_chosen_language() -> None:
    # Flask-Babel keeps the locale on the app context, which a request shares with a caller's
    # (a test, a job) when one is already pushed: each request works its own language out.
    refresh()
    chosen = request.args.get(LANGUAGE_KEY)
    if chosen is None or _staff_page():
        return
    if chosen not in LANGUAGES:
        # Shown back on the page, never kept: the session keeps the last language that worked.
        g.unsupported_language = chosen[:LONGEST_CODE_SHOWN]
        return
    if session.get(LANGUAGE_KEY) != chosen:
        session[LANGUAGE_KEY] = chosen


def register_languages(app: Flask) -> None:
    Babel(app, locale_selector=current_language)
    app.before_request(_remember_chosen_language)
    app.jinja_env.globals.update(
        languages=LANGUAGES,
        page_language=page_language,
        language_link=link_in,
        staff_page=_staff_page,
        unsupported_language=unsupported_language,
    )
