"""Importing posts from files: X API JSON lines and CSV, with every bad row reported."""

import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from engage.core.extensions import db as _db
from engage.social.models import Campaign, CollectionRun, PostHashtag, SocialPost
from engage.social.services.imports import import_posts
from tests.conftest import DAILY_POST_ID
from tests.x_api import page, recorded_body, reply

TODAY = datetime.combine(date.today(), datetime.min.time(), UTC) + timedelta(hours=9)


def _import(campaign_id, content: bytes, file_format: str):
    campaign = _db.session.get(Campaign, campaign_id)
    report = import_posts(campaign, io.BytesIO(content), file_format)
    _db.session.commit()
    return report


def _jsonl(*pages) -> bytes:
    return b"".join(json.dumps(p).encode() + b"\n" for p in pages)


def _stored() -> int:
    return _db.session.scalar(select(func.count()).select_from(SocialPost))


def test_jsonl_import_stores_replies_linked_to_their_daily_question(db, make_campaign):
    campaign_id = make_campaign()
    content = _jsonl(
        page(
            [
                reply(
                    101,
                    "Yes! A brilliant idea, online reporting would be great #WMP2020",
                    TODAY,
                    DAILY_POST_ID,
                ),
                reply(102, "No, an awful idea, I hate it #WMP2020 #police", TODAY, DAILY_POST_ID),
            ]
        ),
        page([reply(103, "Maybe, if it is simple #wmp2020", TODAY, "999")]),
    )
    report = _import(campaign_id, content, "x-jsonl")
    assert (report.stored, report.duplicates, report.rejected) == (3, 0, 0)
    posts = {p.external_id: p for p in _db.session.scalars(select(SocialPost))}
    assert posts["101"].daily_question_id is not None
    assert posts["102"].daily_question_id == posts["101"].daily_question_id
    assert posts["103"].daily_question_id is None  # another conversation
    assert posts["101"].author_handle == "res63046977"
    assert posts["101"].polarity > 0 > posts["102"].polarity
    tags = set(_db.session.scalars(select(PostHashtag.tag)))
    assert tags == {"wmp2020", "police"}


def test_running_an_import_twice_stores_each_post_once(db, make_campaign):
    campaign_id = make_campaign()
    content = _jsonl(
        page([reply(n, f"Reply {n} #WMP2020", TODAY, DAILY_POST_ID) for n in range(1, 6)])
    )
    first = _import(campaign_id, content, "x-jsonl")
    second = _import(campaign_id, content, "x-jsonl")
    assert (first.stored, first.duplicates) == (5, 0)
    assert (second.stored, second.duplicates) == (0, 5)
    assert _stored() == 5


def test_bad_lines_are_rejected_with_line_numbers_and_good_ones_kept(db, make_campaign):
    campaign_id = make_campaign()
    far_past = TODAY - timedelta(days=400)
    content = b"\n".join(
        [
            json.dumps(page([reply(1, "Good one #WMP2020", TODAY, DAILY_POST_ID)])).encode(),
            b'{"data": [ this is not json',
            "caf\u00e9 #WMP2020".encode("latin-1"),
            json.dumps(page([reply(2, "Too old #WMP2020", far_past, DAILY_POST_ID)])).encode(),
            json.dumps(page([reply(3, "x" * 25_001, TODAY, DAILY_POST_ID)])).encode(),
            json.dumps({"data": [{"id": "4", "text": "no date"}]}).encode(),
            json.dumps({"unexpected": True}).encode(),
            json.dumps(page([reply(5, "Second good one #WMP2020", TODAY, DAILY_POST_ID)])).encode(),
        ]
    )
    report = _import(campaign_id, content, "x-jsonl")
    assert (report.stored, report.rejected) == (2, 6)
    reasons = dict(report.reasons)
    assert "not valid JSON" in reasons[2]
    assert "not UTF-8" in reasons[3]
    assert "outside the campaign" in reasons[4]
    assert "over the 25,000 limit" in reasons[5]
    assert "created_at" in reasons[6]
    assert "not an X API v2 response" in reasons[7]


def test_reposts_are_left_out_unless_the_campaign_includes_them(db, make_campaign):
    campaign_id = make_campaign()
    content = _jsonl(page([reply(7, "RT Reply #WMP2020", TODAY, DAILY_POST_ID, retweet_of="6")]))
    report = _import(campaign_id, content, "x-jsonl")
    assert report.stored == 0
    assert "repost" in report.reasons[0][1]


def test_the_recorded_reply_thread_imports_with_its_authors(db, make_campaign):
    """The sns-sdks recording: four replies in a thread, with includes.users."""
    body = recorded_body("sns-sdks-python-twitter/search_tweets_query.json")
    campaign_id = make_campaign(starts_on=date(2020, 6, 20), ends_on=date(2020, 6, 27))
    report = _import(campaign_id, _jsonl(body), "x-jsonl")
    assert report.stored == 4, report.reasons
    handles = set(_db.session.scalars(select(SocialPost.author_handle)))
    assert handles <= {user["username"] for user in body["includes"]["users"]} | {""}
    assert handles - {""}


CSV_HEADER = "platform,id,created_at,author,text,in_reply_to\n"


def test_csv_import_stores_facebook_comments(db, make_campaign):
    campaign_id = make_campaign()
    stamp = TODAY.strftime("%Y-%m-%dT%H:%M:%SZ")
    content = (
        CSV_HEADER
        + f'facebook,fb_1,{stamp},Jo Bloggs,"Yes, online reporting, please #WMP2020",\n'
        + f"facebook,fb_2,{stamp},@sam,No thanks,fb_1\n"
    ).encode("utf-8-sig")
    report = _import(campaign_id, content, "csv")
    assert (report.stored, report.rejected) == (2, 0)
    assert (
        _db.session.scalar(
            select(SocialPost.in_reply_to_id).where(SocialPost.external_id == "fb_2")
        )
        == "fb_1"
    )


def test_csv_rows_with_bad_values_are_rejected_by_line(db, make_campaign):
    campaign_id = make_campaign()
    stamp = TODAY.strftime("%Y-%m-%dT%H:%M:%SZ")
    content = (
        CSV_HEADER
        + f"myspace,1,{stamp},a,hello,\n"
        + "facebook,2,yesterday,a,hello,\n"
        + f"facebook,,{stamp},a,hello,\n"
        + "facebook,3\n"
        + f"facebook,4,{stamp},a,fine,\n"
        + f"facebook,4,{stamp},a,fine again,\n"
    ).encode()
    report = _import(campaign_id, content, "csv")
    assert (report.stored, report.duplicates, report.rejected) == (1, 1, 4)
    reasons = dict(report.reasons)
    assert "platform 'myspace'" in reasons[2]
    assert "not an ISO 8601" in reasons[3]
    assert "id is empty" in reasons[4]
    assert "columns" in reasons[5]


def test_csv_missing_columns_is_refused_before_anything_is_stored(db, make_campaign):
    from engage.core.errors import DomainError

    campaign_id = make_campaign()
    with pytest.raises(DomainError, match="no created_at, in_reply_to columns"):
        _import(campaign_id, b"platform,id,author,text\nx,1,a,b\n", "csv")
    assert _stored() == 0


def test_csv_in_another_encoding_stops_with_a_clear_message_keeping_earlier_rows(db, make_campaign):
    from engage.core.errors import DomainError

    campaign_id = make_campaign()
    stamp = TODAY.strftime("%Y-%m-%dT%H:%M:%SZ")
    good = "".join(f"facebook,{n},{stamp},a,fine {n},\n" for n in range(1, 3000))
    content = (CSV_HEADER + good).encode() + f"facebook,x,{stamp},a,caf\u00e9,\n".encode("cp1252")
    campaign = _db.session.get(Campaign, campaign_id)
    with pytest.raises(DomainError, match="not UTF-8"):
        import_posts(campaign, io.BytesIO(content), "csv", lambda position: _db.session.commit())
    _db.session.rollback()
    assert _stored() >= 2000  # the batches committed before the bad line are kept


def test_import_command_reports_counts_and_reasons(app, runner, make_campaign, tmp_path):
    make_campaign()
    path = tmp_path / "replies.jsonl"
    path.write_bytes(_jsonl(page([reply(1, "Yes #WMP2020", TODAY, DAILY_POST_ID)])) + b"not json\n")
    result = runner.invoke(
        args=["social", "import", str(path), "--campaign", "wmp2020", "--format", "x-jsonl"]
    )
    assert result.exit_code == 0, result.output
    assert "1 posts imported, 0 duplicates skipped, 1 rows rejected" in result.output
    assert "line 2: the line is not valid JSON" in result.output
    with app.app_context():
        run = _db.session.scalar(select(CollectionRun))
        assert (run.source, run.stored, run.rejected) == ("x-jsonl", 1, 1)


def test_import_command_refuses_an_unknown_campaign(runner, tmp_path):
    path = tmp_path / "replies.csv"
    path.write_text(CSV_HEADER)
    result = runner.invoke(
        args=["social", "import", str(path), "--campaign", "nope", "--format", "csv"]
    )
    assert result.exit_code != 0
    assert "No campaign with the short name 'nope'" in result.output


def test_two_imports_of_the_same_file_at_once_store_each_post_once(app, make_campaign):
    """Two workers race over the same posts; the unique key and ON CONFLICT DO NOTHING mean
    every post is stored exactly once and neither worker fails."""
    import threading

    campaign_id = make_campaign()
    content = _jsonl(
        *(
            page([reply(n, f"Reply {n} #WMP2020", TODAY, DAILY_POST_ID) for n in range(s, s + 50)])
            for s in range(1, 2001, 50)
        )
    )
    reports, errors = [], []
    start = threading.Barrier(2)

    def worker():
        try:
            with app.app_context():
                campaign = _db.session.get(Campaign, campaign_id)
                start.wait()
                reports.append(
                    import_posts(
                        campaign, io.BytesIO(content), "x-jsonl", lambda p: _db.session.commit()
                    )
                )
                _db.session.commit()
                _db.session.remove()
        except Exception as error:  # noqa: BLE001 - the test reports whatever went wrong
            errors.append(error)

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sum(r.stored for r in reports) == 2000
    assert sum(r.duplicates for r in reports) == 2000
    with app.app_context():
        assert _stored() == 2000


def test_import_command_stopped_by_a_bad_encoding_records_what_it_stored(
    app, runner, make_campaign, tmp_path
):
    make_campaign()
    stamp = TODAY.strftime("%Y-%m-%dT%H:%M:%SZ")
    good = "".join(f"facebook,{n},{stamp},a,fine {n},\n" for n in range(1, 3000))
    path = tmp_path / "mixed.csv"
    path.write_bytes(
        (CSV_HEADER + good).encode() + f"facebook,x,{stamp},a,caf\u00e9,\n".encode("cp1252")
    )
    result = runner.invoke(
        args=["social", "import", str(path), "--campaign", "wmp2020", "--format", "csv"]
    )
    assert result.exit_code != 0
    assert "not UTF-8" in result.output
    with app.app_context():
        run = _db.session.scalar(select(CollectionRun))
        assert run.status.value == "failed"
        assert run.stored == _stored() >= 2000
