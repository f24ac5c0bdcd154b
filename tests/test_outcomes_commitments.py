"""We did: commitments with owners, status and progress, the grants that deliver them, quotes."""

import pytest

from engage.auth.models import Role
from engage.outcomes.models import ChosenQuote, Commitment
from engage.surveys.models import Answer, Consultation, ConsultationStatus, QuestionKind
from tests.grants import S, application_in_state, make_group, make_round, staff_actor

COMMITMENT = {
    "title": "More officers on foot in town centres",
    "owner": "Neighbourhood Policing",
    "detail": "Visibility was the commonest request.",
    "status": "under_way",
    "progress_percent": "40",
    "progress_note": "Two of five centres have extra patrols.",
}


@pytest.fixture
def consultation_id(make_consultation):
    return make_consultation()


def _publish(db, consultation_id: int) -> None:
    consultation = db.session.get(Consultation, consultation_id)
    consultation.status = ConsultationStatus.PUBLISHED
    db.session.commit()


def _commitments(db) -> list[Commitment]:
    db.session.expire_all()
    return list(db.session.scalars(db.select(Commitment)))


def _add(client, consultation_id: int, **changes):
    return client.post(
        f"/staff/consultations/{consultation_id}/outcomes/commitments/new",
        data={**COMMITMENT, **changes},
    )


def test_staff_add_a_commitment_that_the_published_page_shows(db, client, login, consultation_id):
    login(client, Role.CONSULTATION)
    assert _add(client, consultation_id).status_code == 303
    page = client.get(f"/staff/consultations/{consultation_id}/outcomes").get_data(as_text=True)
    assert "More officers on foot in town centres" in page and "Under way" in page

    _publish(db, consultation_id)
    public = client.get("/consultations/policing-plan/results").get_data(as_text=True)
    assert "What we committed to" in public
    assert "More officers on foot in town centres" in public
    assert "Led by Neighbourhood Policing" in public
    assert 'value="40"' in public and "Two of five centres have extra patrols." in public


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"title": ""}, "Enter what the force or PCC will do"),
        ({"title": "x" * 201}, "Field cannot be longer than 200 characters."),
        ({"owner": ""}, "Enter who owns the commitment"),
        ({"progress_percent": "150"}, "Progress must be between 0 and 100%"),
        ({"progress_percent": "lots"}, "Not a valid integer value."),
        ({"status": "finished"}, "Not a valid choice."),
        ({"progress_note": "x" * 1001}, "Field cannot be longer than 1000 characters."),
    ],
)
def test_a_commitment_with_bad_details_is_refused_and_nothing_stored(
    db, client, login, consultation_id, changes, message
):
    login(client, Role.PCC)
    response = _add(client, consultation_id, **changes)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _commitments(db) == []


def test_done_means_all_the_way_and_progress_is_updated(db, client, login, consultation_id):
    login(client, Role.CONSULTATION)
    _add(client, consultation_id)
    commitment = _commitments(db)[0]
    url = f"/staff/consultations/{consultation_id}/outcomes/commitments/{commitment.id}"
    assert client.post(url, data={**COMMITMENT, "status": "done"}).status_code == 303
    commitment = _commitments(db)[0]
    assert commitment.status == "done" and commitment.progress_percent == 100


def test_only_consultation_and_pcc_staff_change_commitments(client, login, consultation_id):
    url = f"/staff/consultations/{consultation_id}/outcomes"
    assert client.get(url).status_code == 302  # to sign-in
    login(client, Role.COMMS)
    assert client.get(url).status_code == 200
    assert _add(client, consultation_id).status_code == 403


def test_a_commitment_of_another_consultation_is_not_found(
    db, client, login, consultation_id, make_consultation
):
    other = make_consultation(slug="other-plan")
    login(client, Role.CONSULTATION)
    _add(client, consultation_id)
    commitment = _commitments(db)[0]
    assert (
        client.get(f"/staff/consultations/{other}/outcomes/commitments/{commitment.id}").status_code
        == 404
    )
    assert (
        client.get(f"/staff/consultations/{consultation_id}/outcomes/commitments/99999").status_code
        == 404
    )
    deleted = client.post(
        f"/staff/consultations/{other}/outcomes/commitments/{commitment.id}/delete"
    )
    assert deleted.status_code == 404
    assert len(_commitments(db)) == 1


def test_a_linked_grant_appears_publicly_only_once_its_awards_are_published(
    db, client, login, consultation_id
):
    from engage.activecitizens.services import rounds

    funding_round = make_round()
    grant = application_in_state(S.OFFER_ACCEPTED, funding_round=funding_round)
    draft = application_in_state(
        S.DRAFT, funding_round=funding_round, group=make_group("draft@example.org", name="Draft")
    )
    db.session.commit()
    grant_id, draft_id = grant.id, draft.id
    login(client, Role.PCC)
    _add(client, consultation_id)
    commitment = _commitments(db)[0]
    url = f"/staff/consultations/{consultation_id}/outcomes/commitments/{commitment.id}/grants"

    refused = client.post(url, data={"application_id": str(draft_id)})
    assert refused.status_code == 422
    assert "Only an approved grant can be linked" in refused.get_data(as_text=True)
    assert client.post(url, data={"application_id": "999999"}).status_code == 422
    assert client.post(url, data={"application_id": str(grant_id)}).status_code == 303
    again = client.post(url, data={"application_id": str(grant_id)})
    assert "already linked" in again.get_data(as_text=True)
    assert [g.id for g in _commitments(db)[0].grants] == [grant_id]

    _publish(db, consultation_id)
    public = client.get("/consultations/policing-plan/results").get_data(as_text=True)
    assert "Safer streets after school" not in public  # the round's awards are not public yet

    rounds.publish_awards(db.session.get(type(grant), grant_id).funding_round, staff_actor())
    db.session.commit()
    public = client.get("/consultations/policing-plan/results").get_data(as_text=True)
    assert "Safer streets after school" in public and f"#grant-{grant_id}" in public
    projects = client.get("/active-citizens-fund/funded-projects").get_data(as_text=True)
    assert "Delivers “More officers on foot in town centres”" in projects
    assert "/consultations/policing-plan/results" in projects

    unlink = client.post(f"{url}/{grant_id}/unlink")
    assert unlink.status_code == 303 and _commitments(db)[0].grants == []


def test_the_fund_page_does_not_link_to_an_unpublished_consultation(
    db, client, login, consultation_id
):
    from engage.activecitizens.services import rounds

    grant = application_in_state(S.OFFER_ACCEPTED)
    rounds.publish_awards(grant.funding_round, staff_actor())
    db.session.commit()
    login(client, Role.PCC)
    _add(client, consultation_id)
    commitment = _commitments(db)[0]
    client.post(
        f"/staff/consultations/{consultation_id}/outcomes/commitments/{commitment.id}/grants",
        data={"application_id": str(grant.id)},
    )
    projects = client.get("/active-citizens-fund/funded-projects").get_data(as_text=True)
    assert "Safer streets after school" in projects and "Delivers" not in projects


def _comment(db, consultation_id: int) -> int:
    return db.session.scalar(
        db.select(Answer.id).where(Answer.text.is_not(None)).order_by(Answer.id.desc())
    )


def test_a_checked_quote_shows_on_the_public_page(
    db, client, login, consultation_id, make_response
):
    make_response(consultation_id, {QuestionKind.FREE_TEXT: "I'm Jo from 4 High St: more patrols"})
    answer_id = _comment(db, consultation_id)
    login(client, Role.CONSULTATION)
    url = f"/staff/consultations/{consultation_id}/outcomes/quotes/new?answer={answer_id}"
    form = client.get(url).get_data(as_text=True)
    assert "I&#39;m Jo from 4 High St" in form

    unchecked = client.post(url, data={"text": "More patrols, please."})
    assert unchecked.status_code == 422
    assert "Confirm you have taken out names" in unchecked.get_data(as_text=True)
    assert client.post(url, data={"text": "", "checked": "y"}).status_code == 422
    assert client.post(url, data={"text": "x" * 501, "checked": "y"}).status_code == 422
    assert db.session.scalars(db.select(ChosenQuote)).all() == []

    assert (
        client.post(url, data={"text": "More patrols, please.", "checked": "y"}).status_code == 303
    )
    twice = client.post(url, data={"text": "More patrols.", "checked": "y"})
    assert twice.status_code == 422 and "already quoted" in twice.get_data(as_text=True)

    _publish(db, consultation_id)
    public = client.get("/consultations/policing-plan/results").get_data(as_text=True)
    assert "In your words" in public and "More patrols, please." in public
    assert "High St" not in public


def test_only_this_consultations_comments_can_be_quoted(
    db, client, login, consultation_id, make_consultation, make_response
):
    other = make_consultation(slug="other-plan")
    make_response(other, {QuestionKind.FREE_TEXT: "Somewhere else"})
    foreign = _comment(db, other)
    make_response(consultation_id, {QuestionKind.YES_NO: [0]})
    choice = db.session.scalar(db.select(Answer.id).where(Answer.option_id.is_not(None)))
    login(client, Role.CONSULTATION)
    base = f"/staff/consultations/{consultation_id}/outcomes/quotes/new"
    assert client.get(f"{base}?answer={foreign}").status_code == 404
    assert client.get(f"{base}?answer={choice}").status_code == 404
    assert client.get(f"{base}?answer=nonsense").status_code == 404
    assert client.get(base).status_code == 404


def test_a_quote_can_be_removed(db, client, login, consultation_id, make_response):
    make_response(consultation_id, {QuestionKind.FREE_TEXT: "Brighter street lights"})
    answer_id = _comment(db, consultation_id)
    login(client, Role.PCC)
    base = f"/staff/consultations/{consultation_id}/outcomes/quotes"
    client.post(f"{base}/new?answer={answer_id}", data={"text": "Brighter lights", "checked": "y"})
    quote_id = db.session.scalar(db.select(ChosenQuote.id))
    assert client.post(f"{base}/{quote_id + 1}/delete").status_code == 404
    assert client.post(f"{base}/{quote_id}/delete").status_code == 303
    db.session.expire_all()
    assert db.session.scalars(db.select(ChosenQuote)).all() == []
