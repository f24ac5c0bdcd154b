"""The public answering a consultation online: form, check your answers, send, confirmation."""

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from engage.surveys.models import (
    Channel,
    Consultation,
    ConsultationStatus,
    ContactRequest,
    Question,
    QuestionKind,
    Response,
    ResponseTally,
)
from engage.surveys.services import tallies

URL = "/consultations/policing-plan"


def _count(db, model) -> int:
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(model))


def _form_token(client, url=URL) -> str:
    page = client.get(url).get_data(as_text=True)
    return re.search(r'name="form_token" value="([^"]+)"', page).group(1)


def _questions(app, kinds=None) -> dict[QuestionKind, Question]:
    with app.app_context():
        from engage.core.extensions import db

        questions = db.session.scalars(select(Question)).all()
        for question in questions:
            question.options  # noqa: B018 - load before the session closes
        return {question.kind: question for question in questions}


@pytest.fixture
def survey(app, make_consultation):
    make_consultation(
        kinds=(QuestionKind.YES_NO, QuestionKind.MULTIPLE_CHOICE, QuestionKind.FREE_TEXT)
    )
    return _questions(app)


def _counted_in_results(db) -> int:
    """Responses as the results pages count them."""
    source = tallies.live(ResponseTally)
    return db.session.scalar(select(func.sum(source.c.count)))


def _answers(survey, client, **extra) -> dict:
    yes_no = survey[QuestionKind.YES_NO]
    several = survey[QuestionKind.MULTIPLE_CHOICE]
    data = {
        "form_token": _form_token(client),
        yes_no.field_name: str(yes_no.options[0].id),
        several.field_name: [str(several.options[0].id), str(several.options[2].id)],
        survey[QuestionKind.FREE_TEXT].field_name: "More officers on foot, please.",
        "consent": "yes",
        "area": "walsall",
        "postcode_district": "ws1",
        "age_band": "35_44",
    }
    data.update(extra)
    return data


def _error_links(page: str) -> list[str]:
    return re.findall(r'<li><a href="#([^"]+)">', page)


def test_form_asks_every_question_with_no_answer_chosen_for_the_public(client, survey):
    page = client.get(URL).get_data(as_text=True)

    for question in survey.values():
        assert question.prompt in page
        assert f'name="{question.field_name}"' in page
    assert " checked" not in page
    assert 'name="consent"' in page and "privacy notice" in page
    assert "(optional)" in page


def test_valid_answers_are_shown_back_for_checking_before_anything_is_stored(client, db, survey):
    response = client.post(URL, data=_answers(survey, client))

    assert response.status_code == 303
    assert response.headers["Location"] == f"{URL}/check"
    checking = client.get(f"{URL}/check")
    page = checking.get_data(as_text=True)
    assert checking.status_code == 200 and checking.headers["Cache-Control"] == "no-store"
    assert "Check your answers before sending" in page
    assert "More officers on foot, please." in page and "Walsall" in page and "WS1" in page
    assert _count(db, Response) == 0


def test_sent_answers_are_stored_once_counted_and_confirmed_with_a_reference(client, db, survey):
    response = client.post(f"{URL}/send", data=_answers(survey, client))

    assert response.status_code == 303
    confirmation = client.get(response.headers["Location"]).get_data(as_text=True)
    reference = re.search(r'id="reference">([^<]+)<', confirmation).group(1)
    stored = db.session.scalar(select(Response))
    assert stored.reference == reference
    assert stored.channel == Channel.ONLINE
    assert (stored.area, stored.postcode_district, stored.age_band) == ("walsall", "WS1", "35_44")
    assert len(stored.answers) == 4  # yes/no, two choices, one comment
    assert _counted_in_results(db) == 1
    assert "What happens next" in confirmation


def test_contact_details_are_kept_apart_from_the_answers(client, db, survey):
    data = _answers(
        survey, client, prize_draw="yes", wants_updates="yes", contact_email="Sam@Example.org"
    )

    response = client.post(f"{URL}/send", data=data)

    confirmation = client.get(response.headers["Location"]).get_data(as_text=True)
    contact = db.session.scalar(select(ContactRequest))
    assert contact.email == "sam@example.org" and contact.prize_draw and contact.wants_updates
    assert contact.entry_reference in confirmation
    referenced_tables = {key.column.table.name for key in ContactRequest.__table__.foreign_keys}
    assert referenced_tables == {"consultations"}
    response_columns = set(Response.__table__.columns.keys())
    assert not response_columns & {"email", "name", "contact_request_id"}


def test_a_double_click_or_replayed_form_stores_one_response_and_shows_the_same_reference(
    client, db, survey
):
    data = _answers(survey, client)

    first = client.post(f"{URL}/send", data=data)
    first_reference = re.search(
        r'id="reference">([^<]+)<', client.get(first.headers["Location"]).get_data(as_text=True)
    ).group(1)
    second = client.post(f"{URL}/send", data=data)

    assert second.status_code == 303
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert first_reference in page
    assert _count(db, Response) == 1
    assert _counted_in_results(db) == 1


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"consent": ""}, "consent", "agree to how we use your answers"),
        ({"area": "atlantis"}, "area", "Select the area you live in"),
        ({"postcode_district": "B5 7XY"}, "postcode_district", "first part of your postcode"),
        ({"age_band": "ancient"}, "age_band", "age group"),
        ({"prize_draw": "yes"}, "contact_email", "Enter your email address"),
        ({"prize_draw": "yes", "contact_email": "not-an-email"}, "contact_email", "correct format"),
        (
            {"contact_name": "x" * 200, "wants_updates": "yes", "contact_email": "a@example.org"},
            "contact_name",
            "120 characters or fewer",
        ),
    ],
)
def test_bad_details_are_refused_with_an_error_summary_and_nothing_is_stored(
    client, db, survey, changes, field, message
):
    response = client.post(f"{URL}/send", data=_answers(survey, client, **changes))

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field in _error_links(page)
    assert message in page
    assert "<title>Error:" in page
    assert _count(db, Response) == 0
    assert _count(db, ContactRequest) == 0


def test_bad_answers_are_each_explained_and_nothing_is_stored(client, db, survey):
    yes_no = survey[QuestionKind.YES_NO]
    several = survey[QuestionKind.MULTIPLE_CHOICE]
    free_text = survey[QuestionKind.FREE_TEXT]
    data = _answers(survey, client)
    data[yes_no.field_name] = "not-a-number"
    data[several.field_name] = ["999999"]
    data[free_text.field_name] = "x" * (free_text.max_length + 1)

    response = client.post(URL, data=data)

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert _error_links(page) == [yes_no.field_name, several.field_name, free_text.field_name]
    assert f"must be {free_text.max_length:,} characters or fewer" in page
    assert "More officers" not in page  # the over-long text is kept, not this stale value
    assert _count(db, Response) == 0


def test_required_questions_must_be_answered(app, client, db, make_consultation):
    make_consultation(kinds=(QuestionKind.AGREEMENT,), required=True)
    question = _questions(app)[QuestionKind.AGREEMENT]

    response = client.post(
        f"{URL}/send", data={"form_token": _form_token(client), "consent": "yes"}
    )

    assert response.status_code == 422
    assert _error_links(response.get_data(as_text=True)) == [question.field_name]
    assert _count(db, Response) == 0


def test_an_empty_form_asks_for_at_least_one_answer(client, db, survey):
    response = client.post(URL, data={"form_token": _form_token(client), "consent": "yes"})

    assert response.status_code == 422
    assert "Answer at least one question" in response.get_data(as_text=True)


def test_answers_to_questions_not_in_the_survey_are_refused(client, db, survey):
    response = client.post(f"{URL}/send", data=_answers(survey, client, q999999="1"))

    assert response.status_code == 400
    assert _count(db, Response) == 0


@pytest.mark.parametrize("token", ["", "forged-token"])
def test_a_missing_or_forged_form_token_is_refused(client, db, survey, token):
    response = client.post(f"{URL}/send", data=_answers(survey, client, form_token=token))

    assert response.status_code == 400
    assert "Reload the page" in response.get_data(as_text=True)
    assert _count(db, Response) == 0


def test_the_honeypot_thanks_a_bot_but_stores_nothing(client, db, survey):
    response = client.post(f"{URL}/send", data=_answers(survey, client, website="http://spam"))

    assert response.status_code == 303
    assert "Response sent" in client.get(response.headers["Location"]).get_data(as_text=True)
    assert _count(db, Response) == 0


def test_change_returns_to_the_form_with_answers_kept(client, survey):
    data = _answers(survey, client, wants_updates="yes", contact_email="sam@example.org")
    client.post(URL, data=data)
    check = client.get(f"{URL}/check").get_data(as_text=True)
    assert f'href="{URL}#area"' in check

    page = client.get(URL).get_data(as_text=True)

    assert 'value="walsall" checked' in page
    assert "More officers on foot, please." in page and 'value="sam@example.org"' in page
    assert f'name="form_token" value="{data["form_token"]}"' in page
    assert "Check your answers" not in page


def test_closed_consultation_says_so_and_refuses_answers(app, client, db, survey):
    data = _answers(survey, client)
    with app.app_context():
        from engage.core.extensions import db as database

        database.session.scalar(select(Consultation)).status = ConsultationStatus.CLOSED
        database.session.commit()

    page = client.get(URL).get_data(as_text=True)
    response = client.post(f"{URL}/send", data=data)

    assert "no longer taking responses" in page and 'name="consent"' not in page
    assert response.status_code == 409
    assert "no longer taking responses" in response.get_data(as_text=True)
    assert _count(db, Response) == 0


def _change_consultation(app, change) -> None:
    """Staff change the consultation, in another session, as another worker's request would."""
    with app.app_context():
        from engage.core.extensions import db as database

        change(database.session.scalar(select(Consultation)))
        database.session.commit()


def test_a_consultation_closed_after_a_response_was_sent_refuses_the_next(app, client, db, survey):
    """The sending process remembers the consultation as open; the insert itself knows better."""
    first = client.post(f"{URL}/send", data=_answers(survey, client))
    later = _answers(survey, client)
    _change_consultation(app, lambda item: setattr(item, "status", ConsultationStatus.CLOSED))

    refused = client.post(f"{URL}/send", data=later)

    assert first.status_code == 303
    assert refused.status_code == 409
    assert "no longer taking responses" in refused.get_data(as_text=True)
    assert _count(db, Response) == 1


def test_answers_to_a_question_reworded_meanwhile_are_checked_again_and_stored_once(
    app, client, db, survey
):
    client.post(f"{URL}/send", data=_answers(survey, client))
    later = _answers(survey, client)
    free_text = survey[QuestionKind.FREE_TEXT].id

    def reword(item):
        next(q for q in item.questions if q.id == free_text).prompt = "Anything else?"

    _change_consultation(app, reword)
    response = client.post(f"{URL}/send", data=later)

    assert response.status_code == 303
    assert _count(db, Response) == 2
    assert _counted_in_results(db) == 2


def test_a_question_made_required_meanwhile_is_asked_for_before_anything_is_stored(
    app, client, db, survey
):
    client.post(f"{URL}/send", data=_answers(survey, client))
    free_text = survey[QuestionKind.FREE_TEXT]
    later = _answers(survey, client, **{free_text.field_name: ""})

    def require(item):
        next(q for q in item.questions if q.id == free_text.id).required = True

    _change_consultation(app, require)
    response = client.post(f"{URL}/send", data=later)

    assert response.status_code == 422
    assert f'href="#{free_text.field_name}"' in response.get_data(as_text=True)
    assert _count(db, Response) == 1


def test_a_consultation_past_its_closing_date_refuses_answers(client, db, make_consultation):
    yesterday = date.today() - timedelta(days=1)
    make_consultation(opens_on=yesterday - timedelta(days=10), closes_on=yesterday)

    page = client.get(URL).get_data(as_text=True)

    assert "no longer taking responses" in page


@pytest.mark.parametrize("method", ["get", "post"])
def test_draft_and_unknown_consultations_are_not_found(client, db, make_consultation, method):
    make_consultation(status=ConsultationStatus.DRAFT, slug="secret-draft")

    assert getattr(client, method)("/consultations/secret-draft").status_code in (404,)
    assert getattr(client, method)("/consultations/no-such-thing").status_code == 404
    assert _count(db, Response) == 0


def test_a_form_without_its_csrf_token_is_refused(make_app, db, survey):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    page = client.get(URL).get_data(as_text=True)
    assert 'name="csrf_token"' in page
    data = _answers(survey, client)

    response = client.post(f"{URL}/send", data=data)

    assert response.status_code == 400
    assert _count(db, Response) == 0


def test_submissions_are_rate_limited_per_address(make_app, db, survey):
    client = make_app(RATELIMIT_ENABLED=True, SUBMISSION_RATE_LIMIT="2 per hour").test_client()

    replies = [client.post(f"{URL}/send", data=_answers(survey, client)) for _ in range(3)]

    assert [reply.status_code for reply in replies] == [303, 303, 429]
    assert _count(db, Response) == 2
    assert "Too many requests" in replies[2].get_data(as_text=True)
    # The refusal says when to come back: within the hour's window, not after it.
    assert 0 < int(replies[2].headers["Retry-After"]) <= 3600
    # Accepted submissions carry no rate-limit headers: each would cost a storage round trip.
    assert not any(name.startswith("X-RateLimit") for name, _ in replies[0].headers)


def test_flask_limiter_leaves_alone_only_the_view_that_counts_its_own_limit(app):
    """Sending counts SUBMISSION_RATE_LIMIT itself; sign-in is still limited by Flask-Limiter."""
    from engage.web.rate_limits import skips_flask_limiter

    with app.test_request_context(f"{URL}/send", method="POST"):
        assert skips_flask_limiter()
    with app.test_request_context("/staff/login", method="POST"):
        assert not skips_flask_limiter()
    with app.test_request_context(URL):
        assert not skips_flask_limiter()


def test_the_confirmation_page_needs_a_sent_response(client, survey):
    response = client.get(f"{URL}/confirmation")

    assert response.status_code == 302
    assert response.headers["Location"].endswith(URL)
