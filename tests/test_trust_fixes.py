"""Server errors the route walk found, each fixed: the page answers instead of failing."""

from sqlalchemy import func, select

from engage.auth.models import Role, StaffUser
from engage.coding import services as coding
from engage.coding.models import Code
from engage.surveys.models import Consultation, QuestionKind


def free_text_question(db, make_consultation):
    consultation_id = make_consultation(kinds=(QuestionKind.FREE_TEXT,))
    return db.session.get(Consultation, consultation_id).questions[0]


def accept_code(db, question, email):
    staff = db.session.scalars(select(StaffUser).where(StaffUser.email == email)).one()
    coding.accept_theme(coding.frame_for_question(question), "Lighting", staff)
    db.session.commit()


def test_merging_with_no_codes_chosen_is_refused_with_a_message(
    client, login, db, make_consultation
):
    question = free_text_question(db, make_consultation)
    accept_code(db, question, login(client, Role.CONSULTATION))
    response = client.post(f"/staff/coding/question/{question.id}/merge", data={})
    assert response.status_code == 422
    assert "Choose the codes to merge" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Code)) == 1


def test_board_report_shows_a_code_nobody_has_used_yet(client, login, db, make_consultation):
    question = free_text_question(db, make_consultation)
    accept_code(db, question, login(client, Role.CONSULTATION))
    response = client.get(f"/staff/consultations/{question.consultation_id}/report")
    assert response.status_code == 200
    assert "Lighting" in response.get_data(as_text=True)


def test_an_id_too_big_for_the_database_is_not_found(client, login):
    login(client, Role.ADMIN)
    assert client.get("/staff/users/2147483648").status_code == 404
    assert client.post("/staff/users/99999999999999999999", data={}).status_code == 404
    assert client.get("/staff/users/2147483647").status_code == 404


def test_a_nul_byte_in_any_form_or_query_is_refused_with_a_message_not_a_server_error(
    client, db, make_consultation
):
    # PostgreSQL refuses any query holding a NUL; the fuzzer found one through the reset form.
    for url, data in (
        ("/password/forgot/staff", {"email": "\x00"}),
        ("/password/forgot/group", {"email": "a\x00b@example.org"}),
        ("/active-citizens-fund/register", {"name": "Group\x00"}),
    ):
        response = client.post(url, data=data)
        assert response.status_code == 400, url
        assert "NUL" in response.get_data(as_text=True)
    assert client.get("/?q=%00").status_code == 400
    assert client.get("/").status_code == 200


def test_the_reset_form_asks_for_a_real_email_address(client, db):
    response = client.post("/password/forgot/staff", data={"email": "not an address"})
    assert "in the correct format" in response.get_data(as_text=True)
