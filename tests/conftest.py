"""Fixtures: an app on SQLite or, with TEST_DATABASE_URL, PostgreSQL; clients; factories."""

import os
import tempfile
from datetime import date, timedelta

import flask_migrate
import pytest
from sqlalchemy import text

from engage import create_app
from engage.activecitizens.audit_guard import guard_lifted
from engage.auth import lockout
from engage.auth import services as auth_services
from engage.auth.models import Role
from engage.core.extensions import db as _db
from engage.core.extensions import limiter
from engage.surveys.models import (
    FIXED_OPTIONS,
    Channel,
    Consultation,
    ConsultationStatus,
    Event,
    EventKind,
    Option,
    Question,
    QuestionKind,
)

# Fixtures of servers the fault tests start, stop and break (test_faults_*.py).
from tests.faults import postgres_leg, private_postgres, private_redis  # noqa: F401

PASSWORD = "correct horse battery staple"


def pytest_sessionstart(session):
    """Compile the language catalogues if `make` has not (pytest run on its own), so the
    translated pages are tested against the .po files as they are now."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    from engage.web.catalogues import TRANSLATIONS

    for po_path in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po:
            catalogue = read_po(po)
        with mo_path.open("wb") as mo:
            write_mo(mo, catalogue)


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return "sqlite:///" + str(tmp_path_factory.mktemp("db") / "engage-test.sqlite")


def test_config(database_url: str, **overrides) -> dict:
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        # Admin and PCC staff need two-factor sign-in in production; tests that sign in as them
        # go straight in, and two-factor tests turn the requirement on themselves.
        "STAFF_2FA_REQUIRED_ROLES": (),
        "RATELIMIT_STORAGE_URI": "memory://",
        "GRANT_DOCUMENTS_DIR": os.path.join(
            tempfile.gettempdir(), f"engage-test-documents-{os.getpid()}"
        ),
        "EXPORTS_DIR": os.path.join(tempfile.gettempdir(), f"engage-test-exports-{os.getpid()}"),
        "SOCIAL_IMPORTS_DIR": os.path.join(
            tempfile.gettempdir(), f"engage-test-social-imports-{os.getpid()}"
        ),
        "MAIL_FILE_PATH": os.path.join(tempfile.gettempdir(), f"engage-test-outbox-{os.getpid()}"),
    }
    config.update(overrides)
    return config


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    return _database_url(tmp_path_factory)


@pytest.fixture(scope="session")
def app(database_url):
    app = create_app(test_config(database_url))
    with app.app_context():
        if _db.engine.dialect.name == "postgresql":
            with _db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        flask_migrate.upgrade()
    yield app
    _dispose_engines(app)


def _dispose_engines(app) -> None:
    """Close pooled connections, so none is left open when the interpreter exits."""
    with app.app_context():
        for engine in _db.engines.values():
            engine.dispose()


@pytest.fixture
def make_app(database_url, app):
    """Build a further app on the same database with different settings (CSRF, rate limits)."""
    made = []

    def _make(**overrides):
        made.append(create_app(test_config(database_url, **overrides)))
        return made[-1]

    yield _make
    for other in made:
        _dispose_engines(other)
    # Flask-Limiter keeps one state for every app it serves: hand it back to the session app.
    limiter.init_app(app)


TEST_QUEUE_URL = "redis://127.0.0.1:6379/14"  # Redis database 14 is these tests' own


@pytest.fixture
def queue_app(make_app):
    """An app whose jobs go on an RQ queue in Redis database 14, emptied before and after."""
    import redis

    app = make_app(JOB_QUEUE_URL=TEST_QUEUE_URL)
    connection = redis.Redis.from_url(TEST_QUEUE_URL)
    connection.flushdb()
    yield app
    connection.flushdb()
    connection.close()


@pytest.fixture(autouse=True)
def _clean_database(request):
    """Empty every table after each test, so tests cannot see each other's rows."""
    yield
    if "app" not in request.fixturenames:
        return
    app = request.getfixturevalue("app")
    # Failed sign-ins are counted in the app's process (memory://): each test starts afresh.
    app.extensions.pop(lockout.STORE_EXTENSION, None)
    with app.app_context():
        _db.session.remove()
        with _db.engine.begin() as connection, guard_lifted(connection):
            for table in reversed(_db.metadata.sorted_tables):
                connection.execute(table.delete())


@pytest.fixture
def db(app):
    with app.app_context():
        yield _db
        _db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def make_staff(app):
    """Create a staff account with a role; returns its email (password: PASSWORD)."""

    def _make(role: Role | str = Role.CONSULTATION, email: str | None = None) -> str:
        with app.app_context():
            role = Role(role)
            user = auth_services.create_staff(
                email or f"{role.value}-{os.urandom(3).hex()}@example.org", "", role, PASSWORD
            )
            _db.session.commit()
            return user.email

    return _make


@pytest.fixture
def login(make_staff):
    """Sign a test client in as a new staff member of `role`; returns the email."""

    def _login(client, role: Role | str = Role.CONSULTATION) -> str:
        email = make_staff(role)
        response = client.post("/staff/login", data={"email": email, "password": PASSWORD})
        assert response.status_code == 302, response.get_data(as_text=True)
        return email

    return _login


@pytest.fixture
def make_consultation(app):
    """Create a consultation with a question of every kind; returns its id."""

    def _make(
        status: ConsultationStatus = ConsultationStatus.OPEN,
        slug: str = "policing-plan",
        kinds: tuple[QuestionKind, ...] = tuple(QuestionKind),
        required: bool = False,
        opens_on: date | None = None,
        closes_on: date | None = None,
    ) -> int:
        today = date.today()
        with app.app_context():
            consultation = Consultation(
                slug=slug,
                title="Your police, your say",
                summary="Help shape how West Midlands Police works with you.",
                opens_on=opens_on or today - timedelta(days=7),
                closes_on=closes_on or today + timedelta(days=21),
                status=status,
            )
            for position, kind in enumerate(kinds):
                question = Question(
                    kind=kind,
                    position=position,
                    prompt=f"Question about {kind.value.replace('_', ' ')}?",
                    help_text="Pick what fits best.",
                    required=required,
                    max_length=200,
                )
                labels = FIXED_OPTIONS.get(kind) or (
                    () if kind == QuestionKind.FREE_TEXT else ("Text", "Social media", "An app")
                )
                question.options = [
                    Option(label=label, position=i) for i, label in enumerate(labels)
                ]
                consultation.questions.append(question)
            _db.session.add(consultation)
            _db.session.commit()
            return consultation.id

    return _make


@pytest.fixture
def make_event(app):
    def _make(consultation_id: int, kind: EventKind = EventKind.ROADSHOW, area="coventry") -> int:
        with app.app_context():
            event = Event(
                consultation_id=consultation_id,
                kind=kind,
                name=f"{kind.value.title()} in {area.title()}",
                held_on=date.today(),
                venue="Central Library",
                area=area,
            )
            _db.session.add(event)
            _db.session.commit()
            return event.id

    return _make


@pytest.fixture
def make_response(app):
    """Store a response through the service; `choices` maps a question kind to option positions
    (or to a text for free text). Returns the response's reference."""
    from engage.surveys.services.responses import AboutYou, clean_answers, submit_response

    def _make(
        consultation_id: int,
        choices: dict,
        area: str | None = None,
        event_id: int | None = None,
        age_band: str | None = None,
    ) -> str:
        with app.app_context():
            consultation = _db.session.get(Consultation, consultation_id)
            by_kind = {question.kind: question for question in consultation.questions}
            raw = {}
            for kind, chosen in choices.items():
                question = by_kind[kind]
                if isinstance(chosen, str):
                    raw[question.field_name] = [chosen]
                else:
                    raw[question.field_name] = [str(question.options[i].id) for i in chosen]
            event = _db.session.get(Event, event_id) if event_id else None
            response = submit_response(
                consultation,
                clean_answers(consultation.questions, raw),
                AboutYou(area=area, age_band=age_band),
                channel=event.channel if event else Channel.ONLINE,
                event=event,
            )
            _db.session.commit()
            return response.reference

    return _make


DAILY_POST_ID = "1860000000000000001"


@pytest.fixture
def make_campaign(app, make_consultation):
    """Create a campaign on a yes/no consultation question with one daily question on X.

    Returns the campaign's id; replies to DAILY_POST_ID answer the yes/no question.
    """
    from datetime import UTC, datetime

    from engage.social.services.campaigns import (
        CampaignDetails,
        DailyQuestionDetails,
        add_daily_question,
        create_campaign,
    )

    def _make(
        starts_on: date | None = None,
        ends_on: date | None = None,
        budget: int = 10_000,
        status: ConsultationStatus = ConsultationStatus.OPEN,
        retention_days: int = 365,
        include_retweets: bool = False,
    ) -> int:
        starts_on = starts_on or date.today() - timedelta(days=3)
        consultation_id = make_consultation(
            status=status, kinds=(QuestionKind.YES_NO, QuestionKind.AGREEMENT)
        )
        with app.app_context():
            campaign = create_campaign(
                CampaignDetails(
                    slug="wmp2020",
                    name="#WMP2020 daily questions",
                    hashtags="#WMP2020",
                    starts_on=starts_on,
                    ends_on=ends_on or starts_on + timedelta(days=6),
                    consultation_id=consultation_id,
                    monthly_read_budget=budget,
                    retention_days=retention_days,
                    include_retweets=include_retweets,
                )
            )
            question = _db.session.get(Consultation, consultation_id).questions[0]
            add_daily_question(
                campaign,
                DailyQuestionDetails(
                    question_id=question.id,
                    platform="x",
                    post_id=DAILY_POST_ID,
                    posted_at=datetime.combine(starts_on, datetime.min.time(), UTC),
                    text="Would you report non-emergency crime online? Reply with #WMP2020",
                ),
            )
            _db.session.commit()
            return campaign.id

    return _make


@pytest.fixture
def smtp():
    """A real SMTP server on loopback: (controller, inbox) for the test to read messages back."""
    from tests.smtp import start_smtp_server

    controller, inbox = start_smtp_server()
    yield controller, inbox
    controller.stop()
