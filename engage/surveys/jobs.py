"""Folding newly stored responses into the tallies, outside the request that stored them.

`fold_tallies` is the job: batches of `tallies.fold_batch`, a transaction each, so the locks a
fold takes are short. The CLI runs it on demand (`flask --app engage results fold`); every app
process also runs it after sending a response that stored answers, at most once every
TALLY_FOLD_INTERVAL_SECONDS, so the request itself never waits for it.
"""

from collections.abc import Callable

from engage.core.extensions import db
from engage.jobs.after_response import AfterResponse
from engage.surveys.services import tallies

MAX_BATCHES_AFTER_A_REQUEST = 20  # bounds a worker's extra time; the CLI folds any backlog
TIDY_AFTER = 10_000  # responses folded by this process before it tidies the awaiting list

_folded_since_tidy = 0


def fold_tallies(
    wait: bool = True,
    max_batches: int | None = None,
    on_batch: Callable[[int], None] | None = None,
) -> int:
    """Fold awaiting responses into the tallies until none are left; return how many.

    With `wait` off, gives up at once if another process is folding (PostgreSQL only).
    """
    global _folded_since_tidy
    folded = batches = 0
    while max_batches is None or batches < max_batches:
        taken = tallies.fold_batch(wait=wait)
        db.session.commit()
        folded += taken
        batches += 1
        if on_batch:
            on_batch(taken)
        if taken < tallies.FOLD_BATCH:
            break
    _folded_since_tidy += folded
    if _folded_since_tidy >= TIDY_AFTER:
        tallies.tidy_awaiting_list()
        _folded_since_tidy = 0
    return folded


_after_response = AfterResponse(
    lambda: fold_tallies(wait=False, max_batches=MAX_BATCHES_AFTER_A_REQUEST),
    "Folding responses into the tallies failed",
)


def fold_tallies_after_response() -> None:
    """Called by a view that stored a response: fold once the response has been sent, if this
    process has not folded within the interval. Should the fold fail, the responses stay
    listed as awaiting and are still counted; the next fold takes them."""
    _after_response.schedule()
