import random

import pytest
from sklearn.metrics import precision_score, recall_score

from engage.analysis.code_suggester import NO_WORDS, train_code_suggester

TOPICS = {
    "lighting": ["street", "lighting", "lamp", "dark", "bulb", "lamppost", "unlit", "gloomy"],
    "speeding": ["speeding", "cars", "racers", "fast", "speed", "cameras", "drivers", "limit"],
    "police": [
        "police",
        "officers",
        "patrols",
        "visible",
        "beat",
        "constable",
        "presence",
        "station",
    ],
}
FILLER = [
    "road",
    "town",
    "area",
    "every",
    "night",
    "week",
    "really",
    "people",
    "near",
    "house",
    "morning",
]
CODES = list(TOPICS)


def planted(texts=400, seed=0):
    """Texts about one or two topics each, coded with exactly the topics they are about."""
    rng = random.Random(seed)
    rows = []
    for _ in range(texts):
        topics = rng.sample(CODES, rng.choice([1, 1, 2]))
        words = [word for topic in topics for word in rng.sample(TOPICS[topic], 3)]
        words += rng.sample(FILLER, 4)
        rng.shuffle(words)
        rows.append((" ".join(words), set(topics)))
    return [text for text, _ in rows], [codes for _, codes in rows]


def predicted(suggestions, code):
    return [any(s.code == code for s in row) for row in suggestions]


def test_suggester_learns_planted_codes_and_reports_quality_on_held_back_texts():
    texts, codings = planted()
    suggester = train_code_suggester(texts, codings, CODES)
    held_back = list(suggester.held_back)
    assert len(held_back) == 80
    held_suggestions = suggester.suggest([texts[i] for i in held_back])
    for code in CODES:
        quality = suggester.quality[code]
        truth = [code in codings[i] for i in held_back]
        assert quality.held_back == 80
        assert quality.held_back_positives == sum(truth)
        assert quality.positives == sum(code in applied for applied in codings)
        # Stratified: the held-back share of the code's texts is close to a fifth.
        assert 0.15 < quality.held_back_positives / quality.positives < 0.25
        guess = predicted(held_suggestions, code)
        assert quality.precision == precision_score(truth, guess)
        assert quality.recall == recall_score(truth, guess)
        assert quality.precision > 0.9
        assert quality.recall > 0.9
        assert quality.reason is None


def test_quality_is_measured_on_texts_the_classifier_never_learnt_from():
    # A code staff applied at random, to texts each with a word of its own: a classifier can
    # learn the training texts by heart but cannot predict the code on texts it has not seen.
    texts, codings = planted()
    rng = random.Random(5)
    texts = [f"{text} word{rng.randrange(10**9)}" for text in texts]
    codings = [applied | ({"noise"} if rng.random() < 0.5 else set()) for applied in codings]
    suggester = train_code_suggester(texts, codings, [*CODES, "noise"])
    noise = suggester.quality["noise"]
    assert noise.precision < 0.8
    assert noise.recall < 0.8
    training = [i for i in range(len(texts)) if i not in set(suggester.held_back)]
    by_heart = predicted(suggester.suggest([texts[i] for i in training]), "noise")
    truth = [("noise" in codings[i]) for i in training]
    assert precision_score(truth, by_heart) > 0.95


def test_uncoded_texts_get_confident_suggestions_surest_first():
    texts, codings = planted()
    suggester = train_code_suggester(texts, codings, CODES, threshold=0.6)
    rows = suggester.suggest(
        ["the lamppost is unlit and the street is gloomy", "police patrols and speed cameras"]
    )
    assert [s.code for s in rows[0]] == ["lighting"]
    assert {s.code for s in rows[1]} == {"police", "speeding"}
    for row in rows:
        assert all(0.6 <= s.confidence <= 1 for s in row)
        assert [s.confidence for s in row] == sorted((s.confidence for s in row), reverse=True)


def test_texts_without_known_words_get_no_suggestions():
    texts, codings = planted()
    suggester = train_code_suggester(texts, codings, CODES)
    assert suggester.suggest(["", None, "🚓🚓", "zzzz qqqq"]) == [[], [], [], []]
    assert suggester.suggest([]) == []


def test_training_is_deterministic():
    texts, codings = planted()
    first = train_code_suggester(texts, codings, CODES)
    second = train_code_suggester(texts, codings, CODES)
    assert first.held_back == second.held_back
    assert first.quality == second.quality
    assert train_code_suggester(texts, codings, CODES, random_state=1).held_back != first.held_back


def test_codes_with_too_few_examples_get_no_classifier_and_say_why():
    texts, codings = planted()
    litter = [i for i, applied in enumerate(codings) if "police" not in applied]
    for i in litter[:19]:
        codings[i] = codings[i] | {"litter"}
    for i in litter[19:39]:
        codings[i] = codings[i] | {"graffiti"}
    everywhere = [applied | {"crime"} for applied in codings]
    everywhere[0] = everywhere[0] - {"crime"}
    codes = [*CODES, "litter", "graffiti", "crime", "unused"]
    suggester = train_code_suggester(texts, everywhere, codes)
    assert list(suggester.quality) == codes
    assert "19 coded texts have it, at least 20" in suggester.quality["litter"].reason
    assert "0 coded texts have it" in suggester.quality["unused"].reason
    assert "only 1 coded texts lack it" in suggester.quality["crime"].reason
    assert suggester.quality["graffiti"].reason is None or "Not measured" not in (
        suggester.quality["graffiti"].reason
    )
    assert set(suggester.classifiers) == {*CODES, "graffiti"}
    for code in ("litter", "crime", "unused"):
        assert suggester.quality[code].precision is None
        assert suggester.quality[code].recall is None
    suggested = {s.code for row in suggester.suggest(texts) for s in row}
    assert not suggested & {"litter", "crime", "unused"}


def test_no_code_with_enough_examples_gives_no_suggestions():
    texts, codings = planted(texts=30)
    suggester = train_code_suggester(texts, codings, CODES)
    assert suggester.classifiers == {}
    assert suggester.suggest(texts[:3]) == [[], [], []]
    reasons = [quality.reason for quality in suggester.quality.values()]
    assert all(reason.startswith("No suggestions") for reason in reasons)


def test_coded_texts_without_words_give_no_classifier_and_say_why():
    texts = ["🚓🚓", "👍", "", "123"] * 20
    codings = [{"police"} if i % 2 else set() for i in range(len(texts))]
    suggester = train_code_suggester(texts, codings, ["police"])
    assert suggester.quality["police"].reason == NO_WORDS
    assert suggester.suggest(["police"]) == [[]]


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"codings": [set()]}, "2 texts, 1 codings"),
        ({"codings": [{"police"}, {"graffiti"}]}, "not in the frame: graffiti"),
        ({"codes": ["police", "police"]}, "only once"),
        ({"held_back_share": 0}, "between 0 and 1"),
        ({"held_back_share": 1}, "between 0 and 1"),
        ({"threshold": 1.0}, "between 0 and 1"),
        ({"min_examples": 1}, "at least 2"),
    ],
)
def test_bad_arguments_are_rejected_with_a_message(arguments, message):
    given = {"texts": ["dark", "fast"], "codings": [set(), {"police"}], "codes": ["police"]}
    with pytest.raises(ValueError, match=message):
        train_code_suggester(**(given | arguments))
