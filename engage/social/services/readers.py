"""Reading posts from files a line at a time: X API v2 JSON lines and CSV exports.

Each reader yields `(line number, IncomingPost)` for a good post and `(line number, reason)`
for one it cannot use, so an import can report every rejected row and carry on.
"""

import csv
import io
import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import BinaryIO

from engage.core.errors import DomainError
from engage.social.models import Platform
from engage.social.services.storage import IncomingPost

CSV_COLUMNS = ("platform", "id", "created_at", "author", "text", "in_reply_to")
FORMATS = ("x-jsonl", "csv")
# A line longer than this is not one API page (at most 100 posts) and would only eat memory.
MAX_LINE_BYTES = 16 * 1024 * 1024

Read = tuple[int, IncomingPost | str]


def parse_timestamp(value: str) -> datetime:
    """An ISO 8601 time; without a zone it is taken as UTC."""
    text = (value or "").strip()
    if not text:
        raise ValueError("created_at is empty")
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"created_at '{text[:40]}' is not an ISO 8601 date and time") from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def read_posts(stream: BinaryIO, file_format: str) -> Iterator[Read]:
    if file_format == "x-jsonl":
        return read_x_jsonl(stream)
    if file_format == "csv":
        return read_csv(stream)
    raise DomainError(f"Unknown format '{file_format}': use one of {', '.join(FORMATS)}.")


def read_x_jsonl(stream: BinaryIO) -> Iterator[Read]:
    """Posts from JSON lines of X API v2 responses, one page per line as twarc2 writes them.

    A line holding a single post (twarc2's flattened output) is read too.
    """
    for number, raw in enumerate(stream, start=1):
        if len(raw) > MAX_LINE_BYTES:
            yield number, f"the line is over {MAX_LINE_BYTES // (1024 * 1024)} MB"
            continue
        if not raw.strip():
            continue
        try:
            page = json.loads(raw.decode("utf-8-sig" if number == 1 else "utf-8"))
        except UnicodeDecodeError:
            yield number, "the line is not UTF-8 text"
            continue
        except json.JSONDecodeError as problem:
            yield number, f"the line is not valid JSON ({problem.msg} at column {problem.colno})"
            continue
        if not isinstance(page, dict):
            yield number, "the line is not a JSON object"
            continue
        yield from ((number, item) for item in posts_in_page(page))


def posts_in_page(page: dict) -> Iterator[IncomingPost | str]:
    if "data" not in page and "id" in page and "text" in page:
        users = {}
        author = page.get("author")
        if isinstance(author, dict) and author.get("id"):
            users[str(author["id"])] = author
        yield _post_from_tweet(page, users)
        return
    if "data" not in page:
        if page.get("errors") and not page.get("meta"):
            yield "the line is an error response from X, with no posts"
        elif not isinstance(page.get("meta"), dict):
            yield "the line has no 'data' list of posts and is not an X API v2 response"
        return
    tweets = page["data"]
    if isinstance(tweets, dict):
        tweets = [tweets]
    if not isinstance(tweets, list):
        yield "'data' is not a list of posts"
        return
    includes = page["includes"] if isinstance(page.get("includes"), dict) else {}
    users = {
        str(user.get("id")): user
        for user in includes.get("users") or []
        if isinstance(user, dict) and user.get("id")
    }
    for tweet in tweets:
        yield _post_from_tweet(tweet, users)


def _post_from_tweet(tweet, users: dict) -> IncomingPost | str:
    """An IncomingPost from one X API v2 tweet object, or the reason it cannot be one."""
    if not isinstance(tweet, dict):
        return "a post in 'data' is not a JSON object"
    post_id = str(tweet.get("id") or "")
    if not post_id.isdigit():
        return f"a post has no valid id ({post_id[:30] or 'missing'})"
    if not isinstance(tweet.get("text"), str):
        return f"post {post_id} has no text"
    try:
        created_at = parse_timestamp(tweet.get("created_at") or "")
    except ValueError as problem:
        return f"post {post_id}: {problem} (ask X for tweet.fields=created_at)"
    replied_to = None
    for reference in tweet.get("referenced_tweets") or []:
        if isinstance(reference, dict) and reference.get("type") == "replied_to":
            replied_to = str(reference.get("id") or "") or None
    metrics = tweet["public_metrics"] if isinstance(tweet.get("public_metrics"), dict) else {}
    author_id = str(tweet.get("author_id") or "")
    user = users.get(author_id) or {}
    return IncomingPost(
        platform=Platform.X,
        external_id=post_id,
        created_at=created_at,
        text=tweet["text"],
        author_id=author_id,
        author_handle=str(user.get("username") or ""),
        conversation_id=str(tweet.get("conversation_id") or "") or None,
        in_reply_to_id=replied_to,
        lang=tweet.get("lang") if isinstance(tweet.get("lang"), str) else None,
        like_count=_count(metrics.get("like_count")),
        reply_count=_count(metrics.get("reply_count")),
        repost_count=_count(metrics.get("retweet_count")),
        is_repost=is_repost(tweet),
    )


def is_repost(tweet: dict) -> bool:
    return any(
        isinstance(reference, dict) and reference.get("type") == "retweeted"
        for reference in tweet.get("referenced_tweets") or []
    )


def _count(value) -> int:
    return value if isinstance(value, int) and value >= 0 else 0


def read_csv(stream: BinaryIO) -> Iterator[Read]:
    """Posts from a CSV with a header naming platform, id, created_at, author, text, in_reply_to.

    The file must be UTF-8 (a byte-order mark is fine). Other columns are ignored.
    """
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="strict", newline="")
    try:
        yield from _read_csv_rows(csv.reader(text))
    finally:
        text.detach()  # leave the caller's stream open: closing it is the caller's business


def _read_csv_rows(reader) -> Iterator[Read]:
    try:
        header = next(reader, None)
    except UnicodeDecodeError:
        raise DomainError(
            "The file is not UTF-8 text. Save it as CSV UTF-8 and try again."
        ) from None
    if not header:
        raise DomainError("The file is empty: it needs a header row and posts.")
    names = [name.strip().lower() for name in header]
    missing = [column for column in CSV_COLUMNS if column not in names]
    if missing:
        raise DomainError(
            f"The header has no {', '.join(missing)} column{'s' if len(missing) > 1 else ''}. "
            f"It needs: {', '.join(CSV_COLUMNS)}."
        )
    position = {column: names.index(column) for column in CSV_COLUMNS}
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError:
            raise DomainError(
                f"Line {reader.line_num + 1} is not UTF-8 text, so the import stopped there. "
                "Posts before it are stored; save the file as CSV UTF-8 and run the import "
                "again (stored posts are skipped)."
            ) from None
        except csv.Error as problem:
            yield reader.line_num, f"the row cannot be read as CSV ({problem})"
            continue
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(names):
            yield reader.line_num, f"the row has {len(row)} columns, the header {len(names)}"
            continue
        yield reader.line_num, _post_from_row({c: row[i] for c, i in position.items()})


def _post_from_row(values: dict[str, str]) -> IncomingPost | str:
    platform = values["platform"].strip().lower()
    if platform not in Platform._value2member_map_:
        known = ", ".join(p.value for p in Platform)
        return f"platform '{platform[:20]}' is not one of {known}"
    post_id = values["id"].strip()
    if not post_id:
        return "the id is empty"
    try:
        created_at = parse_timestamp(values["created_at"])
    except ValueError as problem:
        return str(problem)
    return IncomingPost(
        platform=Platform(platform),
        external_id=post_id,
        created_at=created_at,
        text=values["text"],
        author_handle=values["author"].strip().lstrip("@"),
        author_id=values["author"].strip().lstrip("@").lower(),
        in_reply_to_id=values["in_reply_to"].strip() or None,
    )
