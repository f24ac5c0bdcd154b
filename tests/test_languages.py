"""The public choose the language of the public pages; staff pages stay English."""

import re

import pytest

from engage.auth.models import Role
from engage.core.languages import LANGUAGES


def _html_tag(page: str) -> str:
    return re.search(r"<html[^>]*>", page).group(0)


def test_english_is_the_default_with_british_english_on_the_page(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="en-GB" dir="ltr">' in page
    assert "Have your say on policing" in page


@pytest.mark.parametrize(
    ("code", "direction", "heading"),
    [
        ("ur", "rtl", "پولیسنگ کے بارے میں اپنی رائے دیں"),
        ("ar", "rtl", "أبدِ رأيك في العمل الشرطي"),
        ("pl", "ltr", "Wyraź swoją opinię o policji"),
        ("bn", "ltr", "পুলিশিং নিয়ে আপনার মতামত দিন"),
        ("pa", "ltr", "ਪੁਲਿਸਿੰਗ ਬਾਰੇ ਆਪਣੀ ਰਾਇ ਦਿਓ"),
    ],
)
def test_a_language_link_shows_the_page_in_it_with_its_direction(client, code, direction, heading):
    page = client.get(f"/?lang={code}").get_data(as_text=True)
    assert _html_tag(page) == f'<html lang="{code}" dir="{direction}">'
    assert heading in page


def test_the_choice_is_kept_for_the_next_pages(client, make_consultation):
    make_consultation()
    client.get("/?lang=pl")
    page = client.get("/consultations/policing-plan").get_data(as_text=True)
    assert 'lang="pl"' in _html_tag(page)
    assert "Sprawdź" not in page  # the check page's words are not on the form
    assert "Dalej" in page and "Twoje opinie" in page
    client.get("/?lang=en")
    assert "Your views" in client.get("/consultations/policing-plan").get_data(as_text=True)


def test_without_a_choice_the_browser_language_is_used(client):
    page = client.get("/", headers={"Accept-Language": "ar, en;q=0.5"}).get_data(as_text=True)
    assert 'lang="ar" dir="rtl"' in _html_tag(page)
    page = client.get("/", headers={"Accept-Language": "fr-FR, de"}).get_data(as_text=True)
    assert 'lang="en-GB"' in _html_tag(page)


def test_every_public_page_offers_each_language_in_its_own_name(client):
    page = client.get("/?lang=ur").get_data(as_text=True)
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', page, re.S).group(0)
    for code, language in LANGUAGES.items():
        link = re.search(rf'<a href="/\?lang={code}"[^>]*>([^<]+)</a>', switcher)
        assert link, code
        assert link.group(1) == language.own_name
        assert f'hreflang="{language.html_lang}"' in link.group(0)
        assert f'lang="{language.html_lang}"' in link.group(0)
        assert ("aria-current" in link.group(0)) == (code == "ur")


def test_an_unsupported_language_is_explained_and_the_choice_kept(client):
    client.get("/?lang=pl")
    response = client.get("/?lang=xx")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "(xx)" in page and 'role="alert"' in page
    assert "Przepraszamy, ta strona nie jest dostępna" in page  # said in the kept language
    assert 'lang="pl"' in _html_tag(page)
    with client.session_transaction() as session:
        assert session["lang"] == "pl"


def test_an_absurd_language_code_is_cut_short_in_the_message(client):
    page = client.get("/?lang=" + "x" * 500).get_data(as_text=True)
    assert "x" * 20 in page and "x" * 21 not in page


def test_validation_messages_come_in_the_chosen_language(client, make_consultation):
    make_consultation()
    page = client.get("/consultations/policing-plan?lang=pl").get_data(as_text=True)
    token = re.search(r'name="form_token" value="([^"]+)"', page).group(1)
    response = client.post("/consultations/policing-plan", data={"form_token": token})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "Wystąpił problem" in text
    assert "Zaznacz pole, aby potwierdzić" in text


def test_staff_pages_stay_english_whatever_the_browser_asks(client, login):
    login(client, Role.CONSULTATION)
    for path in ("/staff/", "/", "/staff/languages"):
        page = client.get(path, headers={"Accept-Language": "pl"}).get_data(as_text=True)
        assert 'lang="en-GB"' in _html_tag(page), path
        assert 'class="language-switcher"' not in page


def test_staff_see_each_catalogue_and_that_it_is_machine_drafted(client, login):
    login(client, Role.CONSULTATION)
    page = client.get("/staff/languages").get_data(as_text=True)
    for language in ("Urdu", "Punjabi (Gurmukhi)", "Bengali", "Polish", "Arabic"):
        assert f"<td>{language}</td>" in page
    assert page.count("Machine-drafted, needs review</strong>") == 5


def test_the_public_are_not_told_a_catalogue_is_machine_drafted(client):
    page = client.get("/?lang=ur").get_data(as_text=True)
    assert "machine" not in page.lower()
