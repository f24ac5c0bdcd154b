"""Jinja filters and globals shared by every template."""

from datetime import date, datetime

from flask import Flask

from engage.analysis.sentiment import polarity_label
from engage.core.areas import AREA_NAMES_WITH_NOT_GIVEN
from engage.core.languages import long_date as language_long_date
from engage.core.money import format_pence


def long_date(value: date | datetime | None) -> str:
    return language_long_date(value) if value else ""


def datetime_utc(value: datetime | None) -> str:
    return f"{value:%-d %b %Y %H:%M} UTC" if value else ""


def wtf_errors(form) -> list[tuple[str, str]]:
    """(field id, first message) for each field in error, in the form's order."""
    return [(field.id, field.errors[0]) for field in form if field.errors]


def percent(value: float | None, places: int = 1) -> str:
    return "–" if value is None else f"{value:.{places}f}%"


def interval(value: tuple[float, float] | None) -> str:
    return "–" if value is None else f"{value[0]:.1f}% to {value[1]:.1f}%"


def area_name(slug: str | None) -> str:
    return AREA_NAMES_WITH_NOT_GIVEN.get(slug or "not_given", slug or "")


def counted(count: int, singular: str, plural: str | None = None) -> str:
    """'1 grant', '3 grants', '1 person', '1,390 people': the number with the right noun."""
    noun = singular if count == 1 else (plural or singular + "s")
    return f"{count:,} {noun}"


def register_templating(app: Flask) -> None:
    app.jinja_env.filters.update(
        long_date=long_date,
        datetime_utc=datetime_utc,
        area_name=area_name,
        percent=percent,
        interval=interval,
        polarity_label=polarity_label,
        number=lambda value: f"{value:,}",
        counted=counted,
        money=format_pence,
    )
    app.jinja_env.globals.update(wtf_errors=wtf_errors)
