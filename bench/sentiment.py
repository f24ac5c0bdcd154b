"""Every sentiment analyser side by side on TweetEval's validation split: how right, how fast.

For each analyser engage can use (`engage.analysis.sentiment.ANALYSERS`: the trained model, the
default; VADER; TextBlob, the baseline) it scores the 2,000 validation tweets in one batch and
prints macro-averaged recall (the task's metric), macro-F1 and accuracy, texts per second on
one core (CPU time of a batch of 2,000, pinned to one core), and the CPU time of scoring one
comment alone, as a survey submission would if it scored on the request path.

    .venv/bin/python bench/sentiment.py [--data ../shared/data/tweeteval-sentiment]
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from engage.analysis.sentiment import ANALYSERS, DEFAULT_ANALYSER, score  # noqa: E402
from engage.analysis.sentiment_model import LABELS  # noqa: E402
from engage.analysis.sentiment_training import evaluate, read_split  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
COMMENT = (
    "The new neighbourhood team has been really helpful, but the 101 line takes far too long "
    "to answer."
)
ONE_TEXT_REPEATS = 200
BATCH_REPEATS = 3


def _cpu_seconds(work, repeats: int) -> float:
    """The least CPU time of `repeats` runs of `work`: the run least disturbed by others."""
    best = float("inf")
    for _ in range(repeats):
        began = time.process_time()
        work()
        best = min(best, time.process_time() - began)
    return best


def measure(analyser: str, texts: list[str], labels) -> dict:
    score(texts[:10], analyser)  # loads the model or lexicon first, outside the timing
    predicted = [LABELS.index(result.label) for result in score(texts, analyser)]
    batch = _cpu_seconds(lambda: score(texts, analyser), BATCH_REPEATS)
    one = _cpu_seconds(lambda: [score([COMMENT], analyser) for _ in range(ONE_TEXT_REPEATS)], 3)
    return {
        **evaluate(labels, predicted),
        "texts_per_second": len(texts) / batch,
        "one_text_ms": 1000 * one / ONE_TEXT_REPEATS,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, default=ROOT.parent / "shared" / "data" / "tweeteval-sentiment"
    )
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    val = read_split(args.data, "val")
    print(f"TweetEval sentiment, validation split: {len(val.texts):,} tweets, one core")
    print(
        f"{'analyser':<22} {'macro recall':>12} {'macro F1':>9} {'accuracy':>9} "
        f"{'texts/s':>9} {'one text':>9}"
    )
    for name in ANALYSERS:
        figures = measure(name, val.texts, val.labels)
        label = f"{name} (default)" if name == DEFAULT_ANALYSER else name
        print(
            f"{label:<22} {figures['macro_recall']:>12.4f} {figures['macro_f1']:>9.4f} "
            f"{figures['accuracy']:>9.4f} {figures['texts_per_second']:>9,.0f} "
            f"{figures['one_text_ms']:>7.2f} ms"
        )


if __name__ == "__main__":
    main()
