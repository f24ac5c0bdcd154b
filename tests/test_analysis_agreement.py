import random

import pytest
from sklearn.metrics import cohen_kappa_score

from engage.analysis.agreement import (
    NO_TEXTS,
    SAME_THROUGHOUT,
    Disagreement,
    disagreements,
    kappa_per_code,
    pooled_kappa,
)

CODES = ["lighting", "speeding", "police", "litter"]


def random_coding(texts=200, seed=7):
    """Two coders who agree more often than chance, each applying any number of codes."""
    rng = random.Random(seed)
    coder_a, coder_b = [], []
    for _ in range(texts):
        a = {code for code in CODES if rng.random() < 0.3}
        b = {code for code in CODES if (code in a) != (rng.random() < 0.2)}
        coder_a.append(a)
        coder_b.append(b)
    return coder_a, coder_b


def decisions(coding, code):
    return [int(code in applied) for applied in coding]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_kappa_per_code_equals_scikit_learn(seed):
    coder_a, coder_b = random_coding(seed=seed)
    result = kappa_per_code(coder_a, coder_b, CODES)
    assert list(result) == CODES
    for code, kappa in result.items():
        expected = cohen_kappa_score(decisions(coder_a, code), decisions(coder_b, code))
        assert kappa.kappa == pytest.approx(expected, abs=1e-12)
        assert kappa.texts == 200
        assert kappa.reason is None


def test_pooled_kappa_of_one_code_equals_scikit_learn():
    coder_a, coder_b = random_coding()
    expected = cohen_kappa_score(decisions(coder_a, "police"), decisions(coder_b, "police"))
    assert pooled_kappa(coder_a, coder_b, ["police"]).kappa == pytest.approx(expected, abs=1e-12)


def test_pooled_kappa_pools_agreement_and_chance_over_codes():
    # X: both apply it to text 0 only (observed 1, chance 0.625); Y: observed 0.5, chance 0.5.
    # Pooled: (0.75 - 0.5625) / (1 - 0.5625) = 3/7; not the mean of the kappas (0.5), nor kappa
    # over the eight decisions strung together (0.4667).
    coder_a = [{"X"}, {"Y"}, set(), {"Y"}]
    coder_b = [{"X"}, set(), {"Y"}, {"Y"}]
    per_code = kappa_per_code(coder_a, coder_b, ["X", "Y"])
    assert per_code["X"].kappa == pytest.approx(1.0)
    assert per_code["Y"].kappa == pytest.approx(0.0)
    pooled = pooled_kappa(coder_a, coder_b, ["X", "Y"])
    assert pooled.kappa == pytest.approx(3 / 7)
    assert pooled.observed_agreement == pytest.approx(0.75)


@pytest.mark.parametrize("applied", [set(), {"lighting"}], ids=["never", "always"])
def test_kappa_is_undefined_when_both_coders_decide_one_way_throughout(applied):
    coder_a = [{"police"} | applied, set() | applied, {"police"} | applied]
    coder_b = [{"police"} | applied, {"police"} | applied, {"police"} | applied]
    result = kappa_per_code(coder_a, coder_b, ["lighting", "police"])
    assert result["lighting"].kappa is None
    assert result["lighting"].reason == SAME_THROUGHOUT
    assert result["lighting"].observed_agreement == 1.0
    assert result["police"].kappa is not None
    # Pooled over codes it stays defined.
    assert pooled_kappa(coder_a, coder_b, ["lighting", "police"]).kappa is not None
    assert pooled_kappa(coder_a, coder_b, ["lighting"]).reason == SAME_THROUGHOUT


def test_coders_who_always_decide_opposite_ways_score_zero_like_scikit_learn():
    coder_a = [{"police"}] * 5
    coder_b = [set()] * 5
    result = kappa_per_code(coder_a, coder_b, ["police"])["police"]
    assert result.kappa == cohen_kappa_score([1] * 5, [0] * 5) == 0.0
    assert result.observed_agreement == 0.0


def test_no_double_coded_texts_gives_no_kappa_and_says_why():
    assert kappa_per_code([], [], ["police"])["police"].reason == NO_TEXTS
    pooled = pooled_kappa([], [], ["police"])
    assert pooled.kappa is None
    assert pooled.reason == NO_TEXTS
    assert pooled.texts == 0


def test_disagreements_list_each_text_and_code_the_coders_decided_differently():
    coder_a = [{"lighting"}, {"police", "speeding"}, set(), {"litter"}]
    coder_b = [{"lighting"}, {"police"}, {"litter", "lighting"}, {"litter"}]
    assert disagreements(coder_a, coder_b, CODES) == [
        Disagreement(text_index=1, code="speeding", applied_by_a=True, applied_by_b=False),
        Disagreement(text_index=2, code="lighting", applied_by_a=False, applied_by_b=True),
        Disagreement(text_index=2, code="litter", applied_by_a=False, applied_by_b=True),
    ]
    assert disagreements(coder_a, coder_a, CODES) == []


def test_disagreements_agree_with_the_observed_agreement():
    coder_a, coder_b = random_coding()
    found = disagreements(coder_a, coder_b, CODES)
    per_code = kappa_per_code(coder_a, coder_b, CODES)
    for code in CODES:
        count = sum(1 for d in found if d.code == code)
        assert count == round((1 - per_code[code].observed_agreement) * 200)


@pytest.mark.parametrize(
    ("coder_a", "coder_b", "codes", "message"),
    [
        ([{"police"}], [], ["police"], "same texts"),
        ([{"police"}], [{"police"}], ["police", "police"], "only once"),
    ],
)
def test_inconsistent_coding_is_rejected_with_a_message(coder_a, coder_b, codes, message):
    for compute in (kappa_per_code, pooled_kappa, disagreements):
        with pytest.raises(ValueError, match=message):
            compute(coder_a, coder_b, codes)


def test_pooled_kappa_needs_codes():
    with pytest.raises(ValueError, match="no codes"):
        pooled_kappa([set()], [set()], [])
