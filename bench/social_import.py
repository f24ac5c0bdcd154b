"""Import generated #hashtag replies in X API v2 shape, and print how fast and how lean it is.

For each size and database: writes a JSON-lines file of API pages (100 posts a line, with
`includes.users`, as twarc2 writes them), then imports it in a fresh process on a fresh
database, as `flask --app engage social import` does. Prints posts per second, the process's
peak memory, and the split of time between sentiment (the trained model) and the rest (reading the
file, checking and storing).

    .venv/bin/python bench/social_import.py [--sizes 100000,1000000] [--only sqlite|postgresql]
"""

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.common import ROOT, SECRET_KEY, fresh_postgres, fresh_sqlite  # noqa: E402

WORDS = [
    "yes",
    "no",
    "maybe",
    "great",
    "idea",
    "awful",
    "police",
    "online",
    "report",
    "crime",
    "cameras",
    "officers",
    "safe",
    "street",
    "neighbourhood",
    "community",
    "help",
    "app",
    "text",
    "contact",
    "update",
    "newsletter",
    "bike",
    "car",
    "burglary",
    "thanks",
]
DAILY_POST_ID = "1860000000000000001"


def write_pages(path: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    start = datetime.now(UTC) - timedelta(days=5)
    with path.open("w", encoding="utf-8") as out:
        for first in range(0, count, 100):
            tweets, users = [], {}
            for number in range(first, min(first + 100, count)):
                author = str(rng.randrange(1, 50_000))
                users[author] = {"id": author, "name": "Resident", "username": f"res{author}"}
                created = start + timedelta(seconds=rng.randrange(0, 5 * 86400))
                text = " ".join(rng.choices(WORDS, k=rng.randrange(5, 25)))
                tweets.append(
                    {
                        "id": str(1_870_000_000_000_000_000 + number),
                        "text": f"{text} #WMP2020",
                        "author_id": author,
                        "conversation_id": DAILY_POST_ID,
                        "created_at": created.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
                        "lang": "en",
                        "referenced_tweets": [{"type": "replied_to", "id": DAILY_POST_ID}],
                        "public_metrics": {"like_count": 1, "reply_count": 0, "retweet_count": 0},
                    }
                )
            page = {
                "data": tweets,
                "includes": {"users": list(users.values())},
                "meta": {"result_count": len(tweets)},
            }
            out.write(json.dumps(page) + "\n")


def worker(database_url: str, path: str) -> None:
    """Run one import in this process and print its figures as JSON."""
    import flask_migrate

    from engage import create_app
    from engage.analysis import sentiment
    from engage.core.extensions import db
    from engage.social.services import imports, storage
    from engage.social.services.campaigns import CampaignDetails, create_campaign

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": SECRET_KEY})
    spent = {"sentiment": 0.0}

    def timed_score(texts):
        began = time.perf_counter()
        results = sentiment.score(texts)
        spent["sentiment"] += time.perf_counter() - began
        return results

    storage.score = timed_score
    with app.app_context():
        flask_migrate.upgrade()
        campaign = create_campaign(
            CampaignDetails(
                slug="bench",
                name="Bench",
                hashtags="#WMP2020",
                starts_on=date.today() - timedelta(days=7),
                ends_on=date.today(),
            )
        )
        db.session.commit()
        began = time.perf_counter()
        with open(path, "rb") as stream:
            report = imports.import_posts(
                campaign, stream, "x-jsonl", lambda position: db.session.commit()
            )
        total = time.perf_counter() - began
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "stored": report.stored,
                "rejected": report.rejected,
                "seconds": total,
                "sentiment": spent["sentiment"],
                "peak_mb": peak_mb,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--only", choices=["sqlite", "postgresql"])
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    databases = [args.only] if args.only else ["sqlite", "postgresql"]
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            path = Path(folder) / f"posts-{size}.jsonl"
            write_pages(path, size)
            megabytes = path.stat().st_size / 1_048_576
            for database in databases:
                url = (
                    fresh_sqlite(Path(folder) / "bench-social.sqlite")
                    if database == "sqlite"
                    else fresh_postgres("engage_bench_social")
                )
                done = subprocess.run(
                    [sys.executable, __file__, "--worker", url, str(path)],
                    cwd=ROOT,
                    check=True,
                    capture_output=True,
                    text=True,
                )
                figures = json.loads(done.stdout.strip().splitlines()[-1])
                rest = figures["seconds"] - figures["sentiment"]
                print(
                    f"{database:10} {size:>9,} posts ({megabytes:,.0f} MB file): "
                    f"{figures['stored'] / figures['seconds']:,.0f} posts/s, "
                    f"{figures['seconds']:,.1f} s in all; "
                    f"sentiment {figures['sentiment']:,.1f} s "
                    f"({100 * figures['sentiment'] / figures['seconds']:.0f}%), "
                    "reading and storing "
                    f"{rest:,.1f} s; peak memory {figures['peak_mb']:,.0f} MB; "
                    f"stored {figures['stored']:,}, rejected {figures['rejected']:,}",
                    flush=True,
                )


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3])
    else:
        main()
