"""The board report: the page and its PDF carry the consultation's real figures."""

import io

import pytest
from pypdf import PdfReader

from engage.analysis.sentiment import score
from engage.auth.models import Role
from engage.core.extensions import db as _db
from engage.surveys.models import QuestionKind
from engage.surveys.services import tallies
from engage.surveys.services.representation import set_population
from tests.census import CENSUS_2021

YES, NO = 0, 1


@pytest.fixture
def answered(app, make_consultation, make_event, make_response):
    consultation_id = make_consultation()
    roadshow = make_event(consultation_id)
    for _ in range(3):
        make_response(consultation_id, {QuestionKind.YES_NO: [YES]}, area="birmingham")
    make_response(consultation_id, {QuestionKind.YES_NO: [NO]}, event_id=roadshow)
    make_response(consultation_id, {QuestionKind.FREE_TEXT: "Brighter street lights"})
    with app.app_context():
        tallies.fold_batch()  # comments are scored as the tallies fold, after the reply
        _db.session.commit()
    return consultation_id


def _pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _made_pdf(client, consultation_id: int) -> bytes:
    """Ask for the PDF as staff do: the job (in-process here) makes it; the job page links it."""
    started = client.post(f"/staff/consultations/{consultation_id}/report.pdf")
    assert started.status_code == 303
    page = client.get(started.headers["Location"]).get_data(as_text=True)
    assert "Download the board report (PDF)" in page
    download = client.get(started.headers["Location"] + "/board-report.pdf")
    assert download.status_code == 200 and download.mimetype == "application/pdf"
    assert "attachment" in download.headers["Content-Disposition"]
    data = download.get_data()
    download.close()
    return data


def test_the_pdf_reports_the_numbers_the_results_page_shows(client, db, login, answered):
    for area, people in CENSUS_2021.items():
        set_population(area, people, {}, "ONS, Census 2021")
    db.session.commit()
    login(client, Role.PCC)
    client.post(
        f"/staff/consultations/{answered}/outcomes/commitments/new",
        data={
            "title": "Brighter lighting on estates",
            "owner": "Partnerships",
            "status": "planned",
        },
    )
    text = _pdf_text(_made_pdf(client, answered))

    assert "Your police, your say" in text
    assert "5 responses in all" in text
    assert "Online survey 4 80.0%" in text and "Roadshow 1 20.0%" in text
    # Yes/No: 3 of 4 said yes; the Wilson interval for 3/4 is 30.1% to 95.4%.
    assert "Yes 3 75.0% 30.1–95.4%" in text
    assert "No 1 25.0%" in text
    [mood] = score(["Brighter street lights"])
    counts = {label: int(label == mood.label) for label in ("positive", "neutral", "negative")}
    assert (
        f"1 comment: {counts['positive']} positive, {counts['neutral']} neutral and "
        f"{counts['negative']} negative"
    ) in text
    assert "Brighter lighting on estates Partnerships Planned 0%" in text
    # Representativeness: the three Birmingham respondents are all who gave an area.
    assert "Who responded against who lives there" in text
    birmingham_share = 100 * CENSUS_2021["birmingham"] / sum(CENSUS_2021.values())
    assert f"Birmingham 3 100.0% (43.9–100.0) {birmingham_share:.1f}% No" in text
    assert "2 gave no area and 0 live elsewhere" in text
    assert "Coventry 0" in text
    assert "nobody responded from Coventry, Dudley" in text
    assert "Re-weighted" in text


def test_the_printable_page_says_when_nobody_answered(client, login, make_consultation):
    consultation_id = make_consultation()
    login(client, Role.CONSULTATION)
    page = client.get(f"/staff/consultations/{consultation_id}/report").get_data(as_text=True)
    assert "0</strong> responses in all" in page
    assert "Nobody answered this question." in page
    assert "No commitments have been recorded yet." in page


def test_the_report_is_for_staff_only(client, login, answered):
    assert client.post(f"/staff/consultations/{answered}/report.pdf").status_code == 302
    login(client, Role.REVIEWER)
    assert client.get(f"/staff/consultations/{answered}/report").status_code == 403


def test_an_unknown_consultation_has_no_report(client, login):
    login(client, Role.PCC)
    assert client.post("/staff/consultations/999999/report.pdf").status_code == 404


def test_the_report_shows_coded_themes_and_the_coders_agreement(client, db, login, answered):
    from engage.auth import services as auth_services
    from engage.coding import services as coding
    from engage.surveys.models import Answer, Question
    from tests.conftest import PASSWORD

    question = db.session.scalar(
        _db.select(Question).where(
            Question.consultation_id == answered, Question.kind == QuestionKind.FREE_TEXT
        )
    )
    [comment] = db.session.scalars(
        _db.select(Answer.id).where(Answer.question_id == question.id)
    ).all()
    first = auth_services.create_staff("first@example.org", "First", Role.CONSULTATION, PASSWORD)
    second = auth_services.create_staff("second@example.org", "Second", Role.CONSULTATION, PASSWORD)
    frame = coding.frame_for_question(question)
    lighting = coding.accept_theme(frame, "Street lighting", first)
    coding.assign_codes(frame, first, [lighting.id], answer_id=comment)
    coding.assign_codes(frame, second, [lighting.id], answer_id=comment, second=True)
    db.session.commit()
    login(client, Role.PCC)
    text = _pdf_text(_made_pdf(client, answered))
    assert "Themes in the comments (1 coded by staff)" in text
    assert "Street lighting 1 100.0%" in text
    # One text both coders coded alike: kappa is undefined, and the report says why.
    assert "Agreement between coders:" in text


def test_the_report_draws_agreement_as_diverging_bars_like_the_results_page(
    client, login, make_consultation, make_response
):
    consultation_id = make_consultation(kinds=(QuestionKind.AGREEMENT,))
    for choice in (0, 4):
        make_response(consultation_id, {QuestionKind.AGREEMENT: [choice]})
    login(client, Role.PCC)

    page = client.get(f"/staff/consultations/{consultation_id}/report").get_data(as_text=True)

    svg = page[page.index("<svg") : page.index("</svg>")]
    assert svg.count('stroke="#ffffff"') == 5  # one segment per point of the scale
    assert svg.index("Strongly disagree") < svg.index("Strongly agree")  # the key, left first
