"""The languages engage's public pages and consultations can be read in.

After English, the commonest main languages in the West Midlands (2021 Census) are Urdu,
Punjabi, Bengali, Polish and Arabic. Punjabi is written in Gurmukhi here, the script most
Punjabi speakers in the region read.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Language:
    code: str  # BCP 47, as in the page's `lang` attribute and the `?lang=` link
    english_name: str
    own_name: str  # how its speakers write it: the language link is shown in this
    direction: str = "ltr"  # "rtl" for Urdu and Arabic

    @property
    def right_to_left(self) -> bool:
        return self.direction == "rtl"


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


def is_supported(code: str | None) -> bool:
    return code in LANGUAGES
