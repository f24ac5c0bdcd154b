"""Proportions and their confidence intervals."""

import math

Z_95 = 1.959963984540054


def percentage(count: int, total: int) -> float | None:
    """Return count as a percentage of total, or None when nobody answered."""
    if total <= 0:
        return None
    return 100.0 * count / total


def wilson_interval(successes: int, total: int, z: float = Z_95) -> tuple[float, float] | None:
    """Return the Wilson score interval for a proportion, as percentages.

    Better behaved than the normal approximation for small samples and proportions near 0 or 1.
    """
    if total <= 0:
        return None
    if not 0 <= successes <= total:
        raise ValueError("successes must lie between 0 and total")
    p = successes / total
    z2 = z * z
    denominator = 1 + z2 / total
    centre = (p + z2 / (2 * total)) / denominator
    margin = z * math.sqrt(p * (1 - p) / total + z2 / (4 * total * total)) / denominator
    # At 0% and 100% the bound is exactly 0 or 1; floating point would miss it by a hair.
    low = 0.0 if successes == 0 else max(0.0, centre - margin)
    high = 1.0 if successes == total else min(1.0, centre + margin)
    return 100.0 * low, 100.0 * high
