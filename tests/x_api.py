"""X API v2 response bodies in the shape of the recorded ones in fixtures/x-api-v2/
(copied from ../shared/fixtures/x-api-v2/).

The recorded bodies have no replies dated inside a test's campaign, no second page, no rate
limit and no token error, so tests build those pages here in the same shape (the reply fields
and `includes.users` follow `sns-sdks-python-twitter/search_tweets_query.json`) and serve them
with `responses`, under real tweepy code.
"""

import json
from datetime import datetime
from pathlib import Path

# Copies of ../shared/fixtures/x-api-v2/ files, so the tests run from any checkout.
RECORDED = Path(__file__).resolve().parent / "fixtures" / "x-api-v2"
SEARCH_URL = "https://api.twitter.com/2/tweets/search/recent"
COUNTS_URL = "https://api.twitter.com/2/tweets/counts/recent"


def recorded_body(name: str) -> dict:
    return json.loads((RECORDED / name).read_text(encoding="utf-8"))


def reply(
    post_id: int,
    text: str,
    created_at: datetime,
    conversation_id: str,
    author_id: str = "63046977",
    retweet_of: str | None = None,
) -> dict:
    referenced = [{"type": "replied_to", "id": conversation_id}]
    if retweet_of:
        referenced = [{"type": "retweeted", "id": retweet_of}]
    return {
        "author_id": author_id,
        "conversation_id": conversation_id,
        "created_at": created_at.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "edit_history_tweet_ids": [str(post_id)],
        "id": str(post_id),
        "in_reply_to_user_id": "17200003",
        "lang": "en",
        "public_metrics": {"retweet_count": 0, "reply_count": 1, "like_count": 3, "quote_count": 0},
        "referenced_tweets": referenced,
        "text": text,
    }


def page(tweets: list[dict], next_token: str | None = None) -> dict:
    users = {
        t["author_id"]: {
            "id": t["author_id"],
            "name": "Resident",
            "username": f"res{t['author_id']}",
        }
        for t in tweets
    }
    meta = {"result_count": len(tweets)}
    if tweets:
        ids = sorted((int(t["id"]) for t in tweets), reverse=True)
        meta.update(newest_id=str(ids[0]), oldest_id=str(ids[-1]))
    if next_token:
        meta["next_token"] = next_token
    body = {"data": tweets, "includes": {"users": list(users.values())}, "meta": meta}
    return body if tweets else {"meta": meta}


def counts(total: int) -> dict:
    return {
        "data": [
            {
                "end": "2026-11-25T00:00:00.000Z",
                "start": "2026-11-24T00:00:00.000Z",
                "tweet_count": total,
            }
        ],
        "meta": {"total_tweet_count": total},
    }


def problem(status: int, title: str) -> dict:
    """An error body as X API v2 sends it for 401, 429 and 5xx."""
    return {"title": title, "detail": title, "type": "about:blank", "status": status}
