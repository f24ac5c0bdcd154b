"""Staff build consultations in the browser: details, status, questions and their order."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from engage.auth.models import Role
from engage.core.extensions import db
from engage.surveys.models import Consultation, ConsultationStatus, Question, QuestionKind

TODAY = date.today()


def _consultation(app, consultation_id: int) -> dict:
    with app.app_context():
        item = db.session.get(Consultation, consultation_id)
        return {
            "status": item.status,
            "slug": item.slug,
            "title": item.title,
            "closes_on": item.closes_on,
            "published_at": item.published_at,
            "questions": [(q.kind, q.prompt, [o.label for o in q.options]) for q in item.questions],
        }


def _count(app, model) -> int:
    with app.app_context():
        return len(db.session.scalars(select(model)).all())


def _details(**overrides) -> dict:
    form = {
        "title": "Neighbourhood policing priorities",
        "slug": "",
        "summary": "Tell us what matters where you live.",
        "opens_on": TODAY.isoformat(),
        "closes_on": (TODAY + timedelta(days=28)).isoformat(),
        "outcome": "",
    }
    form.update(overrides)
    return form


@pytest.fixture
def builder_client(client, login):
    login(client, Role.CONSULTATION)
    return client


def test_staff_create_a_draft_consultation_with_a_slug_from_its_title(app, builder_client):
    response = builder_client.post("/staff/consultations/new", data=_details())

    assert response.status_code == 303
    with app.app_context():
        item = db.session.scalar(select(Consultation))
        assert item.slug == "neighbourhood-policing-priorities"
        assert item.status == ConsultationStatus.DRAFT
        consultation_id = item.id
    overview = builder_client.get(f"/staff/consultations/{consultation_id}")
    assert "Neighbourhood policing priorities" in overview.get_data(as_text=True)
    listing = builder_client.get("/staff/consultations/").get_data(as_text=True)
    assert "Neighbourhood policing priorities" in listing


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"title": ""}, "Enter a title"),
        ({"title": "x" * 201}, "Field cannot be longer than 200 characters"),
        ({"opens_on": "2026-02-30"}, "Opening date must be a real date"),
        ({"closes_on": ""}, "Enter the closing date"),
        (
            {"closes_on": (TODAY - timedelta(days=1)).isoformat()},
            "The closing date must be on or after the opening date",
        ),
        ({"slug": "Not A Slug!"}, "Enter a web address of lower-case letters"),
    ],
)
def test_bad_consultation_details_are_refused_with_a_message(
    app, builder_client, overrides, message
):
    response = builder_client.post("/staff/consultations/new", data=_details(**overrides))

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert message in page
    assert _count(app, Consultation) == 0


def test_a_web_address_already_in_use_is_refused(app, builder_client, make_consultation):
    make_consultation(slug="policing-plan")

    response = builder_client.post("/staff/consultations/new", data=_details(slug="policing-plan"))

    assert response.status_code == 422
    assert "Another consultation already uses that web address" in response.get_data(as_text=True)
    assert _count(app, Consultation) == 1


def test_opening_needs_a_question_then_goes_live_for_the_public(app, builder_client, client):
    builder_client.post("/staff/consultations/new", data=_details())
    with app.app_context():
        consultation_id = db.session.scalar(select(Consultation.id))
    status_url = f"/staff/consultations/{consultation_id}/status"

    refused = builder_client.post(status_url, data={"status": "open"})
    assert refused.status_code == 422
    assert "Add at least one question" in refused.get_data(as_text=True)
    assert _consultation(app, consultation_id)["status"] == ConsultationStatus.DRAFT

    added = builder_client.post(
        f"/staff/consultations/{consultation_id}/questions/new",
        data={"kind": "yes_no_unsure", "prompt": "Would you use a police app?", "required": "y"},
    )
    assert added.status_code == 303
    assert builder_client.post(status_url, data={"status": "open"}).status_code == 303

    public = client.get("/consultations/neighbourhood-policing-priorities")
    assert public.status_code == 200
    assert "Would you use a police app?" in public.get_data(as_text=True)


def test_a_status_change_the_life_cycle_does_not_allow_is_refused(
    app, builder_client, make_consultation
):
    consultation_id = make_consultation(status=ConsultationStatus.DRAFT)
    url = f"/staff/consultations/{consultation_id}/status"

    assert builder_client.post(url, data={"status": "published"}).status_code == 409
    assert builder_client.post(url, data={"status": "archived"}).status_code == 400
    assert _consultation(app, consultation_id)["status"] == ConsultationStatus.DRAFT


def test_publishing_needs_what_we_did_and_records_when(app, builder_client, make_consultation):
    consultation_id = make_consultation(status=ConsultationStatus.CLOSED)
    url = f"/staff/consultations/{consultation_id}/status"

    refused = builder_client.post(url, data={"status": "published"})
    assert refused.status_code == 422
    assert "Say what was done" in refused.get_data(as_text=True)

    with app.app_context():
        db.session.get(Consultation, consultation_id).outcome = "We launched online tracking."
        db.session.commit()
    assert builder_client.post(url, data={"status": "published"}).status_code == 303
    after = _consultation(app, consultation_id)
    assert after["status"] == ConsultationStatus.PUBLISHED
    assert after["published_at"] is not None


def test_closing_early_ends_online_answering_today(app, builder_client, make_consultation, client):
    consultation_id = make_consultation()

    builder_client.post(f"/staff/consultations/{consultation_id}/status", data={"status": "closed"})

    assert _consultation(app, consultation_id)["closes_on"] == TODAY
    assert "no longer taking responses" in client.get("/consultations/policing-plan").get_data(
        as_text=True
    )


def test_the_web_address_cannot_change_once_open(app, builder_client, make_consultation):
    consultation_id = make_consultation()

    response = builder_client.post(
        f"/staff/consultations/{consultation_id}/edit", data=_details(slug="new-address")
    )

    assert response.status_code == 422
    assert "cannot change once the consultation has opened" in response.get_data(as_text=True)
    assert _consultation(app, consultation_id)["slug"] == "policing-plan"


def test_choice_questions_take_options_one_per_line(app, builder_client, make_consultation):
    consultation_id = make_consultation(status=ConsultationStatus.DRAFT, kinds=())

    builder_client.post(
        f"/staff/consultations/{consultation_id}/questions/new",
        data={
            "kind": "single_choice",
            "prompt": "How would you like to be contacted?",
            "options": "Text message\r\n\r\nSocial media\r\nAn app\r\n",
        },
    )
    builder_client.post(
        f"/staff/consultations/{consultation_id}/questions/new",
        data={"kind": "agreement", "prompt": "Body-worn cameras make me feel safer"},
    )

    questions = _consultation(app, consultation_id)["questions"]
    assert questions[0] == (
        QuestionKind.SINGLE_CHOICE,
        "How would you like to be contacted?",
        ["Text message", "Social media", "An app"],
    )
    assert questions[1][2][0] == "Strongly agree"
    assert len(questions[1][2]) == 5


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"kind": "single_choice", "prompt": "Pick", "options": "Only one"},
            "at least two options",
        ),
        ({"kind": "single_choice", "prompt": "Pick", "options": "Same\nsame"}, "must be different"),
        (
            {"kind": "single_choice", "prompt": "Pick", "options": "a\n" + "b" * 201},
            "200 characters",
        ),
        ({"kind": "essay", "prompt": "Pick"}, "Not a valid choice"),
        ({"kind": "free_text", "prompt": ""}, "Enter the question"),
        ({"kind": "free_text", "prompt": "Why?", "max_length": "lots"}, "Not a valid integer"),
        ({"kind": "free_text", "prompt": "Why?", "max_length": "99999"}, "from 1 to 5,000"),
    ],
)
def test_bad_questions_are_refused(app, builder_client, make_consultation, data, message):
    consultation_id = make_consultation(status=ConsultationStatus.DRAFT, kinds=())

    response = builder_client.post(
        f"/staff/consultations/{consultation_id}/questions/new", data=data
    )

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(app, Question) == 0


def test_questions_move_up_and_down(app, builder_client, make_consultation):
    kinds = (QuestionKind.YES_NO, QuestionKind.RATING, QuestionKind.FREE_TEXT)
    consultation_id = make_consultation(kinds=kinds)
    with app.app_context():
        free_text_id = db.session.scalar(
            select(Question.id).where(Question.kind == QuestionKind.FREE_TEXT)
        )
    url = f"/staff/consultations/{consultation_id}/questions/{free_text_id}/move"

    builder_client.post(url, data={"direction": "up"})
    builder_client.post(url, data={"direction": "up"})
    builder_client.post(url, data={"direction": "up"})  # already first: nothing changes

    order = [kind for kind, _, _ in _consultation(app, consultation_id)["questions"]]
    assert order == [QuestionKind.FREE_TEXT, QuestionKind.YES_NO, QuestionKind.RATING]


def test_answered_questions_keep_their_type_and_options(
    app, builder_client, make_consultation, make_response
):
    consultation_id = make_consultation(kinds=(QuestionKind.SINGLE_CHOICE,))
    make_response(consultation_id, {QuestionKind.SINGLE_CHOICE: [0]})
    with app.app_context():
        question_id = db.session.scalar(select(Question.id))
    url = f"/staff/consultations/{consultation_id}/questions/{question_id}"
    base = {"kind": "single_choice", "prompt": "How should we contact you?"}

    changed_kind = builder_client.post(
        f"{url}/edit", data={**base, "kind": "free_text", "options": ""}
    )
    reordered = builder_client.post(
        f"{url}/edit", data={**base, "options": "Social media\nText\nAn app"}
    )
    deleted = builder_client.post(f"{url}/delete")

    assert changed_kind.status_code == 422
    assert "its type cannot change" in changed_kind.get_data(as_text=True)
    assert reordered.status_code == 422
    assert "options cannot be removed, reworded or reordered" in reordered.get_data(as_text=True)
    assert deleted.status_code == 409
    overview = builder_client.get(f"/staff/consultations/{consultation_id}").get_data(as_text=True)
    assert f"{url}/delete" not in overview
    assert f"{url}/edit" in overview
    assert _consultation(app, consultation_id)["questions"] == [
        (
            QuestionKind.SINGLE_CHOICE,
            "Question about single choice?",
            ["Text", "Social media", "An app"],
        )
    ]


def test_answered_questions_can_be_reworded_and_given_new_options(
    app, builder_client, make_consultation, make_response
):
    consultation_id = make_consultation(kinds=(QuestionKind.SINGLE_CHOICE,))
    make_response(consultation_id, {QuestionKind.SINGLE_CHOICE: [1]})
    with app.app_context():
        question_id = db.session.scalar(select(Question.id))

    response = builder_client.post(
        f"/staff/consultations/{consultation_id}/questions/{question_id}/edit",
        data={
            "kind": "single_choice",
            "prompt": "How should we contact you?",
            "options": "Text\nSocial media\nAn app\nLetter",
        },
    )

    assert response.status_code == 303
    assert _consultation(app, consultation_id)["questions"] == [
        (
            QuestionKind.SINGLE_CHOICE,
            "How should we contact you?",
            ["Text", "Social media", "An app", "Letter"],
        )
    ]
    results = builder_client.get(f"/staff/consultations/{consultation_id}/results")
    assert "Letter" in results.get_data(as_text=True)


def test_unanswered_questions_can_be_deleted(app, builder_client, make_consultation):
    consultation_id = make_consultation(kinds=(QuestionKind.YES_NO, QuestionKind.RATING))
    with app.app_context():
        first_id = db.session.scalar(select(Question.id).where(Question.position == 0))

    response = builder_client.post(
        f"/staff/consultations/{consultation_id}/questions/{first_id}/delete"
    )

    assert response.status_code == 303
    assert [q[0] for q in _consultation(app, consultation_id)["questions"]] == [QuestionKind.RATING]


def test_a_question_of_another_consultation_is_not_found(builder_client, make_consultation, app):
    first = make_consultation(slug="first")
    second = make_consultation(slug="second")
    with app.app_context():
        other_question = db.session.scalar(
            select(Question.id).where(Question.consultation_id == second)
        )

    response = builder_client.post(
        f"/staff/consultations/{first}/questions/{other_question}/delete"
    )

    assert response.status_code == 404
    assert (
        builder_client.get(f"/staff/consultations/{first}/questions/999999/edit").status_code == 404
    )
    assert builder_client.get("/staff/consultations/999999").status_code == 404


@pytest.mark.parametrize("role", [Role.PCC, Role.COMMS, Role.REVIEWER])
def test_only_consultation_staff_build_surveys(client, login, make_consultation, role):
    consultation_id = make_consultation()
    login(client, role)

    assert client.get("/staff/consultations/new").status_code == 403
    assert (
        client.post(f"/staff/consultations/{consultation_id}/status", data={"status": "closed"})
    ).status_code == 403
    assert client.get(f"/staff/consultations/{consultation_id}/questions/new").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, make_consultation):
    consultation_id = make_consultation()

    response = client.get(f"/staff/consultations/{consultation_id}")

    assert response.status_code == 302
    assert "/staff/login" in response.headers["Location"]


def test_the_list_shows_response_counts_and_pages(
    app, builder_client, make_consultation, make_response
):
    first = make_consultation(slug="first", kinds=(QuestionKind.YES_NO,))
    make_response(first, {QuestionKind.YES_NO: [0]})
    make_response(first, {QuestionKind.YES_NO: [1]})
    for number in range(21):
        make_consultation(slug=f"other-{number}", kinds=())

    first_page = builder_client.get("/staff/consultations/").get_data(as_text=True)
    second_page = builder_client.get("/staff/consultations/?page=2").get_data(as_text=True)

    assert "Page 1 of 2" in first_page
    assert f'href="/staff/consultations/{first}"' in second_page
    assert '<td class="numeric">2</td>' in second_page
