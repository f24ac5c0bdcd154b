"""Time the long work of themes and coding on one free-text question as its answers grow.

On a fresh SQLite file (or PostgreSQL with --postgresql): a question with N comments drawn
from the demo's, three codes, and a fifth of the comments coded by a person. It prints the
seconds taken to suggest themes, to train suggestions and store them for the uncoded rest,
and the coding page's queries (the next text, progress, a second coder's sample).

    .venv/bin/python bench/coding.py [--sizes 2000,10000] [--postgresql]
"""

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import SECRET_KEY, fresh_postgres, fresh_sqlite  # noqa: E402

CODES = {"officer": "Knowing local officers", "behaviour": "Anti-social behaviour"}
CODES |= {"speed": "Speeding"}
CODED_SHARE = 0.2


def measure(database_url: str, size: int) -> dict[str, float]:
    import flask_migrate
    from sqlalchemy import insert

    from engage import create_app
    from engage.auth.models import Role, StaffUser
    from engage.coding import services
    from engage.coding.models import CodedText, Coding, CodingPass, CodingSource
    from engage.coding.suggesting import suggest_frame_themes, train_suggestions
    from engage.coding.texts import next_to_code, second_coding_sample
    from engage.core.db_types import utcnow
    from engage.core.extensions import db
    from engage.surveys.demo_content import DEMO_COMMENTS, NEIGHBOURHOOD_COMMENTS
    from engage.surveys.models import (
        Answer,
        Consultation,
        ConsultationStatus,
        Question,
        QuestionKind,
        Response,
    )

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET_KEY})
    figures = {}
    with app.app_context():
        flask_migrate.upgrade()
        rng = random.Random(size)
        staff = [
            StaffUser(
                email=f"coder{i}@example.org",
                name=f"Coder {i}",
                role=Role.CONSULTATION,
                password_hash="x",
            )
            for i in range(2)
        ]
        consultation = Consultation(
            slug="bench",
            title="Bench",
            summary="",
            status=ConsultationStatus.CLOSED,
            opens_on=utcnow().date(),
            closes_on=utcnow().date(),
        )
        question = Question(kind=QuestionKind.FREE_TEXT, position=0, prompt="Anything else?")
        consultation.questions.append(question)
        db.session.add_all([consultation, *staff])
        db.session.flush()
        response_ids = db.session.scalars(
            insert(Response).returning(Response.id, sort_by_parameter_order=True),
            [
                {
                    "consultation_id": consultation.id,
                    "reference": f"R-{i}",
                    "channel": "online",
                    "area": "dudley",
                    "submitted_at": utcnow(),
                }
                for i in range(size)
            ],
        ).all()
        comments = DEMO_COMMENTS + NEIGHBOURHOOD_COMMENTS
        texts = [f"{rng.choice(comments)} {rng.choice(comments)}" for _ in range(size)]
        answer_ids = db.session.scalars(
            insert(Answer).returning(Answer.id, sort_by_parameter_order=True),
            [
                {"response_id": r, "question_id": question.id, "text": t}
                for r, t in zip(response_ids, texts, strict=True)
            ],
        ).all()
        frame = services.frame_for_question(question)
        codes = {
            word: services.accept_theme(frame, name, staff[0]).id for word, name in CODES.items()
        }
        now = utcnow()
        for answer_id, text in zip(answer_ids[: int(CODED_SHARE * size)], texts, strict=False):
            coded = CodedText(
                frame_id=frame.id,
                answer_id=answer_id,
                coding_pass=CodingPass.FIRST,
                coder_id=staff[0].id,
                coded_at=now,
            )
            coded.codings = [
                Coding(code_id=code_id, source=CodingSource.HUMAN, assigned_by_id=staff[0].id)
                for word, code_id in codes.items()
                if word in text.lower()
            ]
            db.session.add(coded)
        db.session.commit()

        def timed(name, action):
            started = time.perf_counter()
            result = action()
            figures[name] = time.perf_counter() - started
            return result

        timed("suggest themes", lambda: suggest_frame_themes(frame))
        report = timed("train and store suggestions", lambda: train_suggestions(frame))
        db.session.commit()
        figures["texts given suggestions"] = report.suggested
        timed("next text to code", lambda: next_to_code(frame))
        timed("coding progress", lambda: services.coding_progress(frame))
        timed(
            "second coder's sample of 10%",
            lambda: second_coding_sample(frame, staff[1], size // 10),
        )
        db.session.remove()
        db.engine.dispose()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="2000,10000")
    parser.add_argument("--postgresql", action="store_true")
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        if args.postgresql:
            url = fresh_postgres("engage_bench_coding")
        else:
            url = fresh_sqlite(Path(tempfile.gettempdir()) / "engage-bench-coding.sqlite")
        print(f"{size:,} comments, {int(CODED_SHARE * size):,} coded by a person:")
        for name, value in measure(url, size).items():
            shown = f"{value:,}" if isinstance(value, int) else f"{value:.2f} s"
            print(f"  {name}: {shown}")


if __name__ == "__main__":
    main()
