"""Events (roadshows, workshops...) and keying in their paper responses."""

import re

import pytest
from sqlalchemy import func, select

from engage.auth.models import Role
from engage.core.extensions import db
from engage.surveys.models import (
    Channel,
    ConsultationStatus,
    Event,
    EventKind,
    Question,
    QuestionKind,
    Response,
)

KINDS = (QuestionKind.YES_NO, QuestionKind.MULTIPLE_CHOICE, QuestionKind.FREE_TEXT)


def _event_form(**overrides) -> dict:
    form = {
        "kind": "roadshow",
        "name": "Dudley roadshow",
        "held_on": "2026-11-20",
        "venue": "Dudley market place",
        "area": "dudley",
        "attendees": "85",
    }
    form.update(overrides)
    return form


def _responses(app) -> list[tuple]:
    with app.app_context():
        return db.session.execute(
            select(Response.channel, Response.event_id, Response.area, Response.entered_by_id)
        ).all()


def _questions(app, consultation_id) -> dict:
    with app.app_context():
        rows = db.session.scalars(
            select(Question).where(Question.consultation_id == consultation_id)
        ).all()
        return {q.kind: (q.field_name, [str(o.id) for o in q.options]) for q in rows}


def _token(page: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', page).group(1)


@pytest.fixture
def staff_client(client, login):
    login(client, Role.CONSULTATION)
    return client


def test_staff_add_an_event_and_see_it_listed(app, staff_client, make_consultation):
    consultation_id = make_consultation()

    response = staff_client.post(
        f"/staff/consultations/{consultation_id}/events/new", data=_event_form()
    )

    assert response.status_code == 303
    listing = staff_client.get(f"/staff/consultations/{consultation_id}/events")
    page = listing.get_data(as_text=True)
    assert "Dudley roadshow" in page
    assert "20 November 2026" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Enter the event&#39;s name"),
        ({"kind": "picnic"}, "Not a valid choice"),
        ({"area": "narnia"}, "Not a valid choice"),
        ({"area": ""}, "Choose the area it was held in"),
        ({"held_on": "20/11/2026"}, "Date must be a real date"),
        ({"attendees": "-3"}, "Enter a number of people, 0 or more"),
        ({"attendees": "lots"}, "Not a valid integer"),
        ({"name": "x" * 201}, "Field cannot be longer than 200 characters"),
    ],
)
def test_bad_event_details_are_refused(app, staff_client, make_consultation, overrides, message):
    consultation_id = make_consultation()

    response = staff_client.post(
        f"/staff/consultations/{consultation_id}/events/new", data=_event_form(**overrides)
    )

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Event)) == 0


def test_paper_responses_are_stored_under_the_events_channel(
    app, staff_client, make_consultation, make_event
):
    consultation_id = make_consultation(kinds=KINDS)
    event_id = make_event(consultation_id, EventKind.WORKSHOP, area="walsall")
    fields = _questions(app, consultation_id)
    url = f"/staff/consultations/{consultation_id}/events/{event_id}/responses/new"
    yes_no_field, yes_no_options = fields[QuestionKind.YES_NO]
    text_field, _ = fields[QuestionKind.FREE_TEXT]

    form = staff_client.get(url).get_data(as_text=True)
    saved = staff_client.post(
        url,
        data={
            "form_token": _token(form),
            yes_no_field: yes_no_options[0],
            text_field: "More officers on foot, please",
            "area": "walsall",
        },
    )

    assert saved.status_code == 303
    [(channel, stored_event, area, entered_by)] = _responses(app)
    assert (channel, stored_event, area) == (Channel.WORKSHOP, event_id, "walsall")
    assert entered_by is not None
    after = staff_client.get(url).get_data(as_text=True)
    assert re.search(r'id="entered-count">1<', after)
    assert "Saved response R" in after
    results = staff_client.get(f"/staff/consultations/{consultation_id}/results?channel=workshop")
    assert re.search(r'id="response-total">1<', results.get_data(as_text=True))


def test_a_required_question_left_blank_on_paper_is_stored_as_not_answered(
    app, staff_client, make_consultation, make_event
):
    consultation_id = make_consultation(kinds=KINDS, required=True)
    event_id = make_event(consultation_id)
    fields = _questions(app, consultation_id)
    yes_no_field, options = fields[QuestionKind.YES_NO]
    url = f"/staff/consultations/{consultation_id}/events/{event_id}/responses/new"
    data = {
        "form_token": _token(staff_client.get(url).get_data(as_text=True)),
        yes_no_field: options[0],
    }

    assert staff_client.post(url, data=data).status_code == 303

    assert len(_responses(app)) == 1
    results = staff_client.get(f"/staff/consultations/{consultation_id}/results")
    page = results.get_data(as_text=True)
    assert "1 answered (100% of responses)" in page  # the yes/no question
    assert "0 answered (0% of responses)" in page  # the two left blank


def test_a_resent_paper_form_is_stored_once(app, staff_client, make_consultation, make_event):
    consultation_id = make_consultation(kinds=KINDS)
    event_id = make_event(consultation_id)
    yes_no_field, options = _questions(app, consultation_id)[QuestionKind.YES_NO]
    url = f"/staff/consultations/{consultation_id}/events/{event_id}/responses/new"
    data = {
        "form_token": _token(staff_client.get(url).get_data(as_text=True)),
        yes_no_field: options[1],
    }

    staff_client.post(url, data=data)
    again = staff_client.post(url, data=data, follow_redirects=True)

    assert "was already saved; it was not saved twice" in again.get_data(as_text=True)
    assert len(_responses(app)) == 1


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ("999999", "Select one of the answers given"),
        ("not-a-number", "Select one of the answers given"),
        (None, "Enter at least one answer from the paper form"),
    ],
)
def test_bad_paper_answers_are_refused_and_nothing_is_stored(
    app, staff_client, make_consultation, make_event, answer, message
):
    consultation_id = make_consultation(kinds=KINDS)
    event_id = make_event(consultation_id)
    yes_no_field, _ = _questions(app, consultation_id)[QuestionKind.YES_NO]
    url = f"/staff/consultations/{consultation_id}/events/{event_id}/responses/new"
    data = {"form_token": _token(staff_client.get(url).get_data(as_text=True))}
    if answer is not None:
        data[yes_no_field] = answer

    response = staff_client.post(url, data=data)

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert message in page
    assert _responses(app) == []


def test_over_long_paper_text_and_bad_about_them_are_refused(
    app, staff_client, make_consultation, make_event
):
    consultation_id = make_consultation(kinds=KINDS)
    event_id = make_event(consultation_id)
    text_field, _ = _questions(app, consultation_id)[QuestionKind.FREE_TEXT]
    url = f"/staff/consultations/{consultation_id}/events/{event_id}/responses/new"
    data = {
        "form_token": _token(staff_client.get(url).get_data(as_text=True)),
        text_field: "x" * 201,
        "area": "atlantis",
        "postcode_district": "NOT A POSTCODE",
    }

    response = staff_client.post(url, data=data)

    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "must be 200 characters or fewer" in page
    assert "Select the area you live in from the list" in page
    assert "Enter the first part of your postcode only" in page
    assert _responses(app) == []


def test_paper_responses_need_a_signed_form_token(app, staff_client, make_consultation, make_event):
    consultation_id = make_consultation(kinds=KINDS)
    event_id = make_event(consultation_id)
    yes_no_field, options = _questions(app, consultation_id)[QuestionKind.YES_NO]
    url = f"/staff/consultations/{consultation_id}/events/{event_id}/responses/new"

    response = staff_client.post(url, data={"form_token": "made-up", yes_no_field: options[0]})

    assert response.status_code == 400
    assert _responses(app) == []


def test_paper_responses_are_refused_once_results_are_published(
    app, staff_client, make_consultation, make_event
):
    consultation_id = make_consultation(status=ConsultationStatus.PUBLISHED, kinds=KINDS)
    event_id = make_event(consultation_id)
    yes_no_field, options = _questions(app, consultation_id)[QuestionKind.YES_NO]
    url = f"/staff/consultations/{consultation_id}/events/{event_id}/responses/new"
    token = _token(staff_client.get(url).get_data(as_text=True))

    response = staff_client.post(url, data={"form_token": token, yes_no_field: options[0]})

    assert response.status_code == 409
    assert "not in draft or after its results are published" in response.get_data(as_text=True)
    assert _responses(app) == []


def test_an_event_of_another_consultation_is_not_found(staff_client, make_consultation, make_event):
    first = make_consultation(slug="first")
    other_event = make_event(make_consultation(slug="second"))

    response = staff_client.get(f"/staff/consultations/{first}/events/{other_event}/responses/new")

    assert response.status_code == 404


def test_an_events_kind_is_fixed_once_it_has_responses(
    app, staff_client, make_consultation, make_event, make_response
):
    consultation_id = make_consultation(kinds=KINDS)
    event_id = make_event(consultation_id, EventKind.ROADSHOW)
    make_response(consultation_id, {QuestionKind.YES_NO: [0]}, event_id=event_id)

    response = staff_client.post(
        f"/staff/consultations/{consultation_id}/events/{event_id}/edit",
        data=_event_form(kind="workshop"),
    )

    assert response.status_code == 422
    assert "its kind cannot change" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Event, event_id).kind == EventKind.ROADSHOW


@pytest.mark.parametrize("role", [Role.PCC, Role.COMMS])
def test_only_consultation_staff_key_in_responses(
    client, login, make_consultation, make_event, role
):
    consultation_id = make_consultation()
    event_id = make_event(consultation_id)
    login(client, role)

    assert client.get(f"/staff/consultations/{consultation_id}/events").status_code == 200
    assert (
        client.get(f"/staff/consultations/{consultation_id}/events/{event_id}/responses/new")
    ).status_code == 403
    assert (
        client.post(f"/staff/consultations/{consultation_id}/events/new", data=_event_form())
    ).status_code == 403


def test_events_list_newest_first_a_page_at_a_time_and_filtered(
    app, staff_client, make_consultation
):
    from datetime import date, timedelta

    from engage.surveys.services.events import EVENTS_PER_PAGE

    consultation_id = make_consultation(kinds=KINDS)
    with app.app_context():
        for n in range(EVENTS_PER_PAGE + 2):
            db.session.add(
                Event(
                    consultation_id=consultation_id,
                    kind=EventKind.WORKSHOP if n == 0 else EventKind.ROADSHOW,
                    name=f"Event number {n}",
                    held_on=date(2026, 1, 1) + timedelta(days=n),
                    area="dudley" if n == 1 else "coventry",
                )
            )
        db.session.commit()
    url = f"/staff/consultations/{consultation_id}/events"
    first = staff_client.get(url).get_data(as_text=True)
    newest = f"Event number {EVENTS_PER_PAGE + 1}<"
    assert newest in first and "Event number 0<" not in first
    assert first.index(newest) < first.index(f"Event number {EVENTS_PER_PAGE}<")
    assert "Page 1 of 2" in first
    assert "Event number 0<" in staff_client.get(f"{url}?page=2").get_data(as_text=True)
    workshops = staff_client.get(f"{url}?kind=workshop").get_data(as_text=True)
    assert "Event number 0<" in workshops and "Event number 1<" not in workshops
    dudley = staff_client.get(f"{url}?area=dudley").get_data(as_text=True)
    assert "Event number 1<" in dudley and "Event number 2<" not in dudley
    assert staff_client.get(f"{url}?kind=party").status_code == 400
    assert staff_client.get(f"{url}?area=narnia").status_code == 400


def test_the_last_keyed_in_response_can_be_undone_by_who_keyed_it(
    app, client, login, make_consultation, make_event
):
    consultation_id = make_consultation(kinds=KINDS)
    event_id = make_event(consultation_id)
    yes_no_field, options = _questions(app, consultation_id)[QuestionKind.YES_NO]
    url = f"/staff/consultations/{consultation_id}/events/{event_id}/responses/new"
    login(client, Role.CONSULTATION)
    for option in options[:2]:
        token = _token(client.get(url).get_data(as_text=True))
        client.post(url, data={"form_token": token, yes_no_field: option})
    with app.app_context():
        first, second = db.session.scalars(select(Response.reference).order_by(Response.id))
    page = client.get(url).get_data(as_text=True)
    assert f"Undo: delete response {second}" in page
    undo = f"/staff/consultations/{consultation_id}/events/{event_id}/responses/undo"

    refused = client.post(undo, data={"reference": first})  # not the last one
    assert refused.status_code == 409
    assert len(_responses(app)) == 2

    done = client.post(undo, data={"reference": second}, follow_redirects=True)
    assert f"Response {second} was deleted" in done.get_data(as_text=True)
    assert len(_responses(app)) == 1
    results = client.get(f"/staff/consultations/{consultation_id}/results")
    assert re.search(r'id="response-total">1<', results.get_data(as_text=True))

    colleague = app.test_client()
    login(colleague, Role.CONSULTATION)  # cannot undo what someone else keyed in
    assert "Undo: delete response" not in colleague.get(url).get_data(as_text=True)
    assert colleague.post(undo, data={"reference": first}).status_code == 409
    assert len(_responses(app)) == 1
