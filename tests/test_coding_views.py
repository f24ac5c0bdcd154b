import re

import pytest
from flask import g
from sqlalchemy import func, select

from engage.auth.models import Role, StaffUser
from engage.coding import services
from engage.coding.models import Code, CodedText, CodeStatus, Coding, CodingPass
from engage.social.models import Campaign, Platform, SocialPost
from engage.surveys.models import Answer, Consultation, ConsultationStatus, QuestionKind
from tests.conftest import PASSWORD

TEXTS = [
    "The street lights on my road are always off at night",
    "Street lights broken again, the road is dark",
    "Cars speed past the school every morning",
    "Speeding cars near the school are dangerous",
    "I never see police officers walking round here",
    "More police officers walking the streets please",
]


@pytest.fixture
def question(db, make_consultation, make_response):
    consultation_id = make_consultation(
        kinds=(QuestionKind.FREE_TEXT, QuestionKind.YES_NO), slug="coded-comments"
    )
    for text in TEXTS:
        make_response(consultation_id, {QuestionKind.FREE_TEXT: text})
    consultation = db.session.get(Consultation, consultation_id)
    return next(q for q in consultation.questions if q.kind == QuestionKind.FREE_TEXT)


def url(question, tail=""):
    return f"/staff/coding/question/{question.id}{tail}"


def suggest(client, owner_url: str, themes: int = 8) -> str:
    """Ask for suggested themes as staff do; the job runs in-process, so the page shows them."""
    response = client.post(owner_url + "/themes", data={"themes": themes})
    assert response.status_code == 303
    return client.get(response.headers["Location"]).get_data(as_text=True)


def answer_ids(db, question):
    return list(
        db.session.scalars(
            select(Answer.id).where(Answer.question_id == question.id).order_by(Answer.id)
        )
    )


def forget_signed_in_user():
    """Requests share the test's app context, where Flask-Login keeps the user it loaded."""
    g.pop("_login_user", None)


def add_codes(db, question, email, *names):
    staff = db.session.scalars(select(StaffUser).where(StaffUser.email == email)).one()
    frame = services.frame_for_question(question)
    codes = [services.accept_theme(frame, name, staff) for name in names]
    db.session.commit()
    return [code.id for code in codes]


def test_anonymous_is_sent_to_sign_in_and_other_roles_get_403(client, login, question):
    response = client.get(url(question))
    assert response.status_code == 302 and "/staff/login" in response.headers["Location"]
    login(client, Role.REVIEWER)
    assert client.get(url(question)).status_code == 403


def test_comms_cannot_code_a_question_and_pcc_reads_but_cannot_change(client, login, question):
    login(client, Role.COMMS)
    assert client.get(url(question)).status_code == 403
    client.post("/staff/logout")
    login(client, Role.PCC)
    assert client.get(url(question)).status_code == 200
    response = client.post(url(question, "/themes/1/accept"), data={"theme-1-name": "Lights"})
    assert response.status_code == 403


def test_unknown_question_and_code_are_404(client, login, question):
    login(client)
    assert client.get("/staff/coding/question/999999").status_code == 404
    assert client.get(url(question, "/codes/999999")).status_code == 404
    assert client.get(url(question, "/code?text=answer-999999")).status_code == 404


def test_staff_accept_a_suggested_theme_under_their_own_name(client, login, db, question):
    login(client)
    page = suggest(client, url(question))
    assert "Accept as a code" in page
    terms = re.search(r'name="theme-1-terms" type="hidden" value="([^"]*)"', page).group(1)
    response = client.post(
        url(question, "/themes/1/accept"), data={"theme-1-name": "Lighting", "theme-1-terms": terms}
    )
    assert response.status_code == 302
    code = db.session.scalars(select(Code)).one()
    assert code.name == "Lighting" and code.events[0].note == terms
    page = client.get(url(question, "/themes")).get_data(as_text=True)
    assert "Accepted</strong> as" in page and "Lighting" in page


def test_a_taken_name_is_refused_with_a_message_and_nothing_saved(client, login, db, question):
    email = login(client)
    add_codes(db, question, email, "Lighting")
    suggest(client, url(question))
    response = client.post(url(question, "/themes/1/accept"), data={"theme-1-name": "lighting"})
    assert response.status_code == 422
    assert "There is already a code called" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Code)) == 1


def test_rejecting_a_theme_keeps_it_in_the_history(client, login, db, question):
    login(client)
    response = client.post(url(question, "/themes/reject"), data={"label": "road, night"})
    assert response.status_code == 302
    assert db.session.scalars(select(Code)).one().status == CodeStatus.REJECTED
    assert "rejected as a theme" in client.get(url(question)).get_data(as_text=True)


def test_themes_page_says_why_there_is_nothing_to_suggest(client, login, make_consultation):
    login(client)
    consultation_id = make_consultation(kinds=(QuestionKind.FREE_TEXT,), slug="empty")
    with client.application.app_context():
        from engage.core.extensions import db

        question_id = db.session.get(Consultation, consultation_id).questions[0].id
    page = suggest(client, f"/staff/coding/question/{question_id}")
    assert "There are no texts to find themes in." in page


def test_rename_and_merge_keep_the_history(client, login, db, question):
    email = login(client)
    lights, dark = add_codes(db, question, email, "Lights", "Dark roads")
    response = client.post(url(question, f"/codes/{lights}/rename"), data={"name": "Lighting"})
    assert response.status_code == 302
    response = client.post(url(question, "/merge"), data={"sources": [dark], "target": lights})
    assert response.status_code == 302
    page = client.get(url(question, f"/codes/{lights}")).get_data(as_text=True)
    assert "renamed from “Lights” to “Lighting”" in page
    assert "“Dark roads” merged into it" in page
    page = client.get(url(question, f"/codes/{dark}")).get_data(as_text=True)
    assert "Merged into" in page and "Rename" not in page


def test_merging_a_code_into_itself_is_refused(client, login, db, question):
    email = login(client)
    (lights,) = add_codes(db, question, email, "Lights")
    other = add_codes(db, question, email, "Dark")[0]
    response = client.post(url(question, "/merge"), data={"sources": [lights], "target": lights})
    assert response.status_code == 422
    assert "cannot be merged into itself" in response.get_data(as_text=True)
    assert db.session.get(Code, other).status == CodeStatus.ACTIVE


def test_save_and_next_codes_a_text_and_shows_the_next(client, login, db, question):
    email = login(client)
    lights, speed = add_codes(db, question, email, "Lights", "Speeding")
    first, second = answer_ids(db, question)[:2]
    page = client.get(url(question, "/code")).get_data(as_text=True)
    assert TEXTS[0] in page and "0 of 6 texts coded" in page
    response = client.post(
        url(question, "/code"), data={"text": f"answer-{first}", "codes": [lights, speed]}
    )
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert TEXTS[1] in page and "1 of 6 texts coded" in page
    codings = db.session.scalars(select(Coding)).all()
    assert {c.code_id for c in codings} == {lights, speed}
    assert all(c.assigned_by_id is not None for c in codings)
    page = client.get(url(question, f"/code?text=answer-{first}")).get_data(as_text=True)
    assert "applied by" in page
    assert second


def test_a_merged_code_submitted_while_coding_saves_nothing(client, login, db, question):
    email = login(client)
    lights, dark = add_codes(db, question, email, "Lights", "Dark")
    staff = db.session.scalars(select(StaffUser).where(StaffUser.email == email)).one()
    services.merge_codes([db.session.get(Code, dark)], db.session.get(Code, lights), staff)
    db.session.commit()
    first = answer_ids(db, question)[0]
    response = client.post(
        url(question, "/code"), data={"text": f"answer-{first}", "codes": [dark]}
    )
    assert response.status_code == 409
    assert "was merged into “Lights”; use that code" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(CodedText)) == 0


def test_a_code_from_another_frame_is_refused(client, login, db, question, make_campaign):
    email = login(client)
    add_codes(db, question, email, "Lights")
    staff = db.session.scalars(select(StaffUser).where(StaffUser.email == email)).one()
    campaign = db.session.get(Campaign, make_campaign())
    foreign = services.accept_theme(services.frame_for_campaign(campaign), "Other", staff)
    db.session.commit()
    first = answer_ids(db, question)[0]
    response = client.post(
        url(question, "/code"), data={"text": f"answer-{first}", "codes": [foreign.id]}
    )
    assert response.status_code == 422
    assert "That code is not in this frame." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Coding)) == 0


def test_blind_coding_hides_machine_suggestions(client, login, db, question):
    email = login(client)
    (lights,) = add_codes(db, question, email, "Lights")
    first = answer_ids(db, question)[0]
    frame = services.frame_for_question(question)
    services.store_machine_codes(frame, {lights: 0.83}, answer_id=first)
    db.session.commit()
    assert "83% sure" in client.get(url(question, "/code")).get_data(as_text=True)
    client.post(url(question, "/blind"))
    page = client.get(url(question, "/code")).get_data(as_text=True)
    assert "83% sure" not in page and "checked" not in page


def test_second_coder_codes_a_sample_and_the_page_reports_kappa(
    client, app, login, make_staff, db, question
):
    first_email = login(client)
    lights, speed = add_codes(db, question, first_email, "Lights", "Speeding")
    ids = answer_ids(db, question)
    for answer_id, text in zip(ids, TEXTS, strict=True):
        codes = [lights] if "light" in text.lower() else [speed] if "speed" in text.lower() else []
        client.post(url(question, "/code"), data={"text": f"answer-{answer_id}", "codes": codes})
    page = client.get(url(question, "/code?second=1")).get_data(as_text=True)
    assert "There are no texts for you to double-code" in page

    second = app.test_client()
    email = make_staff(Role.CONSULTATION)
    forget_signed_in_user()
    second.post("/staff/login", data={"email": email, "password": PASSWORD})
    page = second.get(url(question, "/code?second=1&size=6")).get_data(as_text=True)
    assert "Your sample: 6 texts, 0 double-coded" in page, re.sub(r"\s+", " ", page)[-3000:]
    for answer_id in ids:
        response = second.post(
            url(question, "/code?second=1&size=6"),
            data={"text": f"answer-{answer_id}", "codes": [lights]},
        )
        assert response.status_code == 302
    assert db.session.scalar(
        select(func.count())
        .select_from(CodedText)
        .where(CodedText.coding_pass == CodingPass.SECOND)
    ) == len(ids)
    page = second.get(url(question, "/agreement")).get_data(as_text=True)
    assert "Overall (pooled) kappa" in page and "over 6 texts" in page
    assert page.count("Not applied") >= 4


def test_sample_is_reproducible_and_leaves_out_the_coders_own_texts(
    client, login, make_staff, db, question
):
    from engage.coding.texts import second_coding_sample

    email = login(client)
    (lights,) = add_codes(db, question, email, "Lights")
    ids = answer_ids(db, question)
    other_email = make_staff(Role.CONSULTATION)
    staff = db.session.scalars(select(StaffUser).where(StaffUser.email == email)).one()
    other = db.session.scalars(select(StaffUser).where(StaffUser.email == other_email)).one()
    frame = services.frame_for_question(question)
    for answer_id in ids[:4]:
        services.assign_codes(frame, staff, [lights], answer_id=answer_id)
    services.assign_codes(frame, other, [], answer_id=ids[4])
    db.session.commit()
    sample = [text.answer_id for text in second_coding_sample(frame, other, 3)]
    assert sample == [text.answer_id for text in second_coding_sample(frame, other, 3)]
    assert len(sample) == 3 and ids[4] not in sample and set(sample) <= set(ids[:4])
    assert ids[4] in [text.answer_id for text in second_coding_sample(frame, staff, 5)]


def test_a_sample_size_out_of_range_is_refused(client, login, question):
    login(client)
    response = client.get(url(question, "/code?second=1&size=0"))
    assert "Enter a number between 1 and" in response.get_data(as_text=True)


def test_train_says_which_codes_have_too_few_examples(client, login, db, question):
    email = login(client)
    (lights,) = add_codes(db, question, email, "Lights")
    first = answer_ids(db, question)[0]
    client.post(url(question, "/code"), data={"text": f"answer-{first}", "codes": [lights]})
    page = client.post(url(question, "/train"), follow_redirects=True).get_data(as_text=True)
    assert "Suggestions trained" in page
    assert "1 coded text has it, at least 20 are needed" in page


def test_train_before_any_coding_says_why(client, login, db, question):
    email = login(client)
    add_codes(db, question, email, "Lights")
    response = client.post(url(question, "/train"), follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Training failed: Code some texts first" in page
    assert "Suggestions have not been trained yet" in page


def test_comms_code_campaign_posts(client, login, db, make_campaign):
    from datetime import UTC, datetime

    campaign_id = make_campaign()
    for number, text in enumerate(TEXTS):
        db.session.add(
            SocialPost(
                campaign_id=campaign_id,
                platform=Platform.X,
                external_id=str(number),
                text=text,
                created_at=datetime.now(UTC),
            )
        )
    db.session.commit()
    login(client, Role.COMMS)
    page = suggest(client, f"/staff/coding/campaign/{campaign_id}")
    assert "Accept as a code" in page
    client.post(
        f"/staff/coding/campaign/{campaign_id}/themes/1/accept", data={"theme-1-name": "Roads"}
    )
    page = client.get(f"/staff/coding/campaign/{campaign_id}/code").get_data(as_text=True)
    assert TEXTS[0] in page and "Roads" in page
    client.post("/staff/logout")
    login(client, Role.CONSULTATION)
    assert client.get(f"/staff/coding/campaign/{campaign_id}").status_code == 403


def code_answers(db, question, email):
    """Code the first three answers: two with Lighting, one with Speeding; reject a theme."""
    lights, speed = add_codes(db, question, email, "Lighting", "Speeding")
    staff = db.session.scalars(select(StaffUser).where(StaffUser.email == email)).one()
    frame = services.frame_for_question(question)
    services.reject_theme(frame, "Rubbish theme", staff)
    ids = answer_ids(db, question)
    services.assign_codes(frame, staff, [lights], answer_id=ids[0])
    services.assign_codes(frame, staff, [lights], answer_id=ids[1])
    services.assign_codes(frame, staff, [speed], answer_id=ids[2])
    db.session.commit()


def test_results_page_and_summary_export_show_code_counts(client, login, db, question):
    code_answers(db, question, login(client))
    consultation_id = question.consultation_id
    page = client.get(f"/staff/consultations/{consultation_id}/results").get_data(as_text=True)
    assert re.search(r"Lighting</th><td[^>]*>2</td><td[^>]*>66.7%", page)
    assert "3 comments read and coded by staff" in page and "Rubbish theme" not in page
    csv = client.get(f"/staff/consultations/{consultation_id}/export/summary.csv")
    lines = csv.get_data(as_text=True).splitlines()
    # ... then the question's base (the 3 asked) and whom it was asked of (everyone: blank).
    theme = "Themes (all responses),1,Question about free text?"
    assert f"{theme},Lighting,2,3,66.67,,,,,,,,,,3," in lines
    assert f"{theme},Speeding,1,3,33.33,,,,,,,,,,3," in lines


def test_published_results_show_active_themes_with_counts(client, login, db, question):
    code_answers(db, question, login(client))
    consultation = db.session.get(Consultation, question.consultation_id)
    consultation.status = ConsultationStatus.PUBLISHED
    db.session.commit()
    client.post("/staff/logout")
    page = client.get(f"/consultations/{consultation.slug}/results").get_data(as_text=True)
    assert re.search(r"Lighting</th><td[^>]*>2</td></tr>", page)
    assert "Speeding" in page and "Rubbish theme" not in page and "66.7%" not in page


def test_training_reports_precision_and_recall_and_suggests_for_uncoded_texts(
    client, login, db, make_consultation, make_response
):
    consultation_id = make_consultation(kinds=(QuestionKind.FREE_TEXT,), slug="training")
    lighting = [f"Street light {n} on my road is broken and dark" for n in range(25)]
    speeding = [f"Cars speeding past school gate {n} every morning" for n in range(25)]
    for text in [t for pair in zip(lighting, speeding, strict=True) for t in pair]:
        make_response(consultation_id, {QuestionKind.FREE_TEXT: text})
    question = db.session.get(Consultation, consultation_id).questions[0]
    email = login(client)
    lights, speed = add_codes(db, question, email, "Lighting", "Speeding")
    staff = db.session.scalars(select(StaffUser).where(StaffUser.email == email)).one()
    frame = services.frame_for_question(question)
    answers = db.session.execute(
        select(Answer.id, Answer.text).where(Answer.question_id == question.id).order_by(Answer.id)
    ).all()
    for answer_id, text in answers[:40]:
        code = lights if "light" in text else speed
        services.assign_codes(frame, staff, [code], answer_id=answer_id)
    db.session.commit()

    page = client.post(url(question, "/train"), follow_redirects=True).get_data(as_text=True)
    assert "Learnt from 40 texts people coded; 8 of them were held back" in page
    assert "10 uncoded texts now have suggestions" in page
    assert re.search(r"Lighting</th>\s*<td[^>]*>20</td>\s*<td[^>]*>4</td>\s*<td[^>]*>100%", page)
    suggested = db.session.execute(
        select(CodedText.answer_id, Coding.code_id, Coding.confidence)
        .join(Coding, Coding.coded_text_id == CodedText.id)
        .where(CodedText.coder_id.is_(None))
    ).all()
    expected = {a: lights if "light" in t else speed for a, t in answers[40:]}
    assert {(a, c) for a, c, _ in suggested} == set(expected.items())
    assert all(0.5 <= confidence <= 1 for _, _, confidence in suggested)
    assert services.coding_progress(frame).coded == 40
    client.post(url(question, "/train"))  # again: the suggestions are replaced, not added
    progress = services.coding_progress(frame)
    assert (progress.coded, progress.suggested_only) == (40, 10)
    assert db.session.scalar(select(func.count()).select_from(Coding)) == 50


def test_two_coders_saving_at_once_see_a_clear_message(client, login, db, question, monkeypatch):
    email = login(client)
    (lights,) = add_codes(db, question, email, "Lights")
    first = answer_ids(db, question)[0]

    def someone_else_saved(*args, **kwargs):
        raise services.DomainError(
            "Someone else saved codes for this text at the same moment. Reload it and try again.",
            status=409,
        )

    monkeypatch.setattr(services, "assign_codes", someone_else_saved)
    response = client.post(
        url(question, "/code"), data={"text": f"answer-{first}", "codes": [lights]}
    )
    assert response.status_code == 409
    page = response.get_data(as_text=True)
    assert "Someone else saved codes for this text" in page and TEXTS[0] in page


def test_describing_a_code_shows_in_its_history_and_too_long_is_refused(
    client, login, db, question
):
    email = login(client)
    (lights,) = add_codes(db, question, email, "Lights")
    response = client.post(
        url(question, f"/codes/{lights}/describe"), data={"description": "Broken or dark lights"}
    )
    assert response.status_code == 302
    page = client.get(url(question, f"/codes/{lights}")).get_data(as_text=True)
    assert "Broken or dark lights" in page and "description changed" in page
    response = client.post(
        url(question, f"/codes/{lights}/describe"), data={"description": "x" * 1001}
    )
    assert response.status_code == 422
    assert "There is a problem" in response.get_data(as_text=True)
    assert db.session.get(Code, lights).description == "Broken or dark lights"


def test_rejecting_without_a_label_is_refused_and_saves_nothing(client, login, db, question):
    login(client)
    response = client.post(url(question, "/themes/reject"), data={"label": ""})
    assert response.status_code == 422
    assert "The theme has no label" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Code)) == 0
