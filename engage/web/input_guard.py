"""Refuse form fields and query strings holding a NUL character, before any view reads them.

No browser sends one from a form a person filled in, and PostgreSQL cannot store or even compare
text holding one (psycopg refuses the query), so a NUL that reached a lookup or an insert would be
a server error there and a silent difference from SQLite. One check here answers every form and
import page alike with a clear 400; uploaded files are left to their importers, which report
malformed rows themselves.
"""

from flask import Flask, request

from engage.web.error_pages import render_error

NUL = "\x00"
MESSAGE = (
    "What you sent contains a character that cannot be stored (a NUL byte). "
    "Go back, retype the text and try again."
)


def _holds_nul(values) -> bool:
    return any(NUL in key or any(NUL in value for value in values.getlist(key)) for key in values)


def _refuse_nul_input():
    if _holds_nul(request.args) or (request.method != "GET" and _holds_nul(request.form)):
        return render_error(400, MESSAGE)
    return None


def register_input_guard(app: Flask) -> None:
    app.before_request(_refuse_nul_input)
