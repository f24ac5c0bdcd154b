"""Time theme suggestion on real tweets, and its peak memory, for growing numbers of texts.

Each size runs in a fresh Python process, so its peak resident memory (getrusage's maxrss) is
that run's alone; the process also reports its resident memory after the imports, before the
texts are read. The texts are TweetEval's sentiment training tweets (45,615 of them), repeated
and shuffled to reach each size.

    .venv/bin/python bench/themes.py [--sizes 10000,100000] [--themes 10] [--data FILE]
"""

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared/data/tweeteval-sentiment/train_text_reconstructed.txt"


def measure(size: int, themes: int, data: Path) -> dict:
    """Suggest themes in `size` tweets in this process; return the figures."""
    sys.path.insert(0, str(ROOT))
    from engage.analysis.themes import suggest_themes

    imported_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tweets = data.read_text(encoding="utf-8").splitlines()
    texts = (tweets * (size // len(tweets) + 1))[:size]
    random.Random(0).shuffle(texts)
    started = time.perf_counter()
    result = suggest_themes(texts, max_themes=themes)
    seconds = time.perf_counter() - started
    return {
        "size": size,
        "distinct": len(set(texts)),
        "seconds": seconds,
        "imported_mb": imported_rss / 1024,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "themes": [(theme.size, theme.label) for theme in result.themes],
        "uncovered": result.uncovered,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--themes", type=int, default=10)
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.themes, args.data)))
        return
    print(f"{'texts':>8} {'distinct':>9} {'seconds':>8} {'after imports':>14} {'peak RSS':>9}")
    for size in (int(size) for size in args.sizes.split(",")):
        command = [sys.executable, __file__, "--one", str(size), "--themes", str(args.themes)]
        output = subprocess.run(
            [*command, "--data", str(args.data)], capture_output=True, text=True, check=True
        ).stdout
        figures = json.loads(output)
        print(
            f"{figures['size']:>8,} {figures['distinct']:>9,} {figures['seconds']:>8.1f} "
            f"{figures['imported_mb']:>11.0f} MB {figures['peak_mb']:>6.0f} MB"
        )
        for count, label in figures["themes"]:
            print(f"{'':>10}{count:>7,}  {label}")
        print(f"{'':>10}{figures['uncovered']:>7,}  (in no theme)")


if __name__ == "__main__":
    main()
