"""The languages engage's public pages and consultations can be read in.

After English, the commonest main languages in the West Midlands (2021 Census) are Urdu,
Punjabi, Bengali, Polish and Arabic. Punjabi is written in Gurmukhi here, the script most
Punjabi speakers in the region read.
"""

from dataclasses import dataclass
from datetime import date

from babel.dates import format_date
from flask_babel import get_locale


@dataclass(frozen=True)
class Language:
    code: str  # BCP 47, as in the page's `lang` attribute and the `?lang=` link
    english_name: str
    own_name: str  # how its speakers write it: the language link is shown in this
    direction: str = "ltr"  # "rtl" for Urdu and Arabic

    @property
    def right_to_left(self) -> bool:
        return self.direction == "rtl"

    @property
    def html_lang(self) -> str:
        """The page's `lang`: British English for English, as the site has always said."""
        return "en-GB" if self.code == "en" else self.code


DEFAULT_LANGUAGE = "en"

LANGUAGES: dict[str, Language] = {
    language.code: language
    for language in (
        Language("en", "English", "English"),
        Language("ur", "Urdu", "اردو", "rtl"),
        Language("pa", "Punjabi (Gurmukhi)", "ਪੰਜਾਬੀ"),
        Language("bn", "Bengali", "বাংলা"),
        Language("pl", "Polish", "Polski"),
        Language("ar", "Arabic", "العربية", "rtl"),
    )
}

# The languages a consultation can be translated into (English is its own text).
TRANSLATION_LANGUAGES = tuple(code for code in LANGUAGES if code != DEFAULT_LANGUAGE)


def language(code: str | None) -> Language:
    """The language with this code; English for None or a code engage does not offer."""
    return LANGUAGES.get(code or DEFAULT_LANGUAGE, LANGUAGES[DEFAULT_LANGUAGE])


def long_date(day: date) -> str:
    """'4 December 2026', with the month named in the reader's language (English outside a
    request, and in English exactly as the site has always written it)."""
    locale = get_locale()
    if locale is None or locale.language == DEFAULT_LANGUAGE:
        return f"{day:%-d %B %Y}"
    return format_date(day, "d MMMM y", locale=locale)


def translatable(text: str) -> str:
    """Mark `text` for the catalogues where it is defined; it is translated where it is shown
    (`gettext(text)`), so in the reader's language rather than at import."""
    return text
