"""Agreement between two coders who coded the same texts with the same code frame.

Each code is a yes/no decision on each double-coded text: applied or not. Cohen's kappa is
worked out per code from those decisions. The overall figure is the pooled kappa of de Vries et
al. (2008, "Using pooled kappa to summarize interrater agreement across many items", Field
Methods 20:272): the mean observed agreement and the mean chance agreement over the codes, put
into kappa's formula. Unlike the mean of the per-code kappas it stays defined when some codes
have an undefined kappa, and it weighs every code's decisions alike.

Every function takes the codes to compare; codes the coders applied that are not among them are
left out, so one code or a few can be compared on their own.
"""

from collections.abc import Collection, Hashable, Sequence
from dataclasses import dataclass
from typing import TypeVar

CodeKey = TypeVar("CodeKey", bound=Hashable)  # whatever identifies a code: its id, its name

NO_TEXTS = "No texts were coded by both coders."
SAME_THROUGHOUT = (
    "Both coders made the same decision on every text, so kappa is undefined: there is no "
    "variation to agree on beyond chance."
)


@dataclass(frozen=True)
class Kappa:
    """Cohen's kappa, or None with the reason it is undefined, over `texts` double-coded texts."""

    kappa: float | None
    observed_agreement: float | None
    texts: int
    reason: str | None = None


@dataclass(frozen=True)
class Disagreement:
    """A text on which the two coders decided a code differently."""

    text_index: int
    code: Hashable
    applied_by_a: bool
    applied_by_b: bool


def kappa_per_code(
    coder_a: Sequence[Collection[Hashable]],
    coder_b: Sequence[Collection[Hashable]],
    codes: Sequence[CodeKey],
) -> dict[CodeKey, Kappa]:
    """Return each code's kappa; coder_a[i] and coder_b[i] are the codes each applied to text i."""
    _check(coder_a, coder_b, codes)
    return {code: _kappa(*_agreements(coder_a, coder_b, code)) for code in codes}


def pooled_kappa(
    coder_a: Sequence[Collection[Hashable]],
    coder_b: Sequence[Collection[Hashable]],
    codes: Sequence[Hashable],
) -> Kappa:
    """Return the pooled kappa over all codes (de Vries et al. 2008), see the module's doc."""
    _check(coder_a, coder_b, codes)
    if not codes:
        raise ValueError("There are no codes to compare.")
    if not coder_a:
        return Kappa(kappa=None, observed_agreement=None, texts=0, reason=NO_TEXTS)
    pairs = [_agreements(coder_a, coder_b, code) for code in codes]
    observed = sum(o for o, _, _ in pairs) / len(pairs)
    chance = sum(c for _, c, _ in pairs) / len(pairs)
    return _kappa(observed, chance, len(coder_a))


def disagreements(
    coder_a: Sequence[Collection[Hashable]],
    coder_b: Sequence[Collection[Hashable]],
    codes: Sequence[Hashable],
) -> list[Disagreement]:
    """List every (text, code) the coders decided differently, by text, then frame order."""
    _check(coder_a, coder_b, codes)
    return [
        Disagreement(index, code, code in applied_a, code in applied_b)
        for index, (applied_a, applied_b) in enumerate(zip(coder_a, coder_b, strict=True))
        for code in codes
        if (code in applied_a) != (code in applied_b)
    ]


def _check(coder_a, coder_b, codes) -> None:
    if len(coder_a) != len(coder_b):
        raise ValueError(
            f"The coders must have coded the same texts: coder A has {len(coder_a)} texts, "
            f"coder B {len(coder_b)}."
        )
    if len(set(codes)) != len(codes):
        raise ValueError("Each code may be compared only once.")


def _agreements(coder_a, coder_b, code) -> tuple[float, float, int]:
    """Return observed agreement, chance agreement and texts for one code's yes/no decisions."""
    texts = len(coder_a)
    if texts == 0:
        return 0.0, 0.0, 0
    both = neither = yes_a = yes_b = 0
    for applied_a, applied_b in zip(coder_a, coder_b, strict=True):
        a, b = code in applied_a, code in applied_b
        yes_a += a
        yes_b += b
        both += a and b
        neither += not a and not b
    share_a, share_b = yes_a / texts, yes_b / texts
    chance = share_a * share_b + (1 - share_a) * (1 - share_b)
    return (both + neither) / texts, chance, texts


def _kappa(observed: float, chance: float, texts: int) -> Kappa:
    if texts == 0:
        return Kappa(kappa=None, observed_agreement=None, texts=0, reason=NO_TEXTS)
    # Chance agreement is 1 only when both coders gave one same answer throughout.
    if chance >= 1.0 - 1e-12:
        return Kappa(kappa=None, observed_agreement=observed, texts=texts, reason=SAME_THROUGHOUT)
    return Kappa(kappa=(observed - chance) / (1 - chance), observed_agreement=observed, texts=texts)
