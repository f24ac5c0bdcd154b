import random

import pytest

from engage.analysis.themes import ALL_SAME, NO_TEXTS, NO_WORDS, TOO_FEW, suggest_themes

TOPICS = {
    "lighting": [
        "street lighting is too dark on our road",
        "the street lights are broken near the park",
        "more street lighting needed, it is dark at night",
        "dark streets, the street lighting goes off after midnight",
    ],
    "speeding": [
        "speeding cars on the high street",
        "cars speeding past the school every morning",
        "speed cameras needed, drivers keep speeding",
        "speeding cars and boy racers at night",
    ],
    "police": [
        "we never see police patrols here",
        "police visibility is poor, we want more officers on foot",
        "more visible police presence please",
        "no police patrols in the town centre",
    ],
}
TAILS = ["", "really", "honestly", "in Dudley", "near my house", "every week", "at weekends"]


def planted(per_topic=40, seed=1):
    """Texts about three topics, shuffled; returns the texts and each one's topic."""
    rng = random.Random(seed)
    rows = [
        (f"{rng.choice(sentences)} {rng.choice(TAILS)}", topic)
        for topic, sentences in TOPICS.items()
        for _ in range(per_topic)
    ]
    rng.shuffle(rows)
    return [text for text, _ in rows], [topic for _, topic in rows]


def test_suggested_themes_recover_planted_topics():
    texts, topics = planted()
    result = suggest_themes(texts, max_themes=3, examples=3)
    assert result.reason is None
    assert len(result.themes) == 3
    found = set()
    for theme in result.themes:
        example_topics = {topics[i] for i in theme.examples}
        assert len(example_topics) == 1, theme
        topic = example_topics.pop()
        found.add(topic)
        assert theme.size == 40
        top_words = {word for term, _ in theme.terms[:4] for word in term.split()}
        assert top_words & {"lighting": {"dark", "lighting"}, "speeding": {"speeding", "cars"},
                            "police": {"police", "patrols"}}[topic]  # fmt: skip
        assert theme.terms[0][1] == 1.0
        assert all(0 < weight <= 1 for _, weight in theme.terms)
        assert [w for _, w in theme.terms] == sorted((w for _, w in theme.terms), reverse=True)
    assert found == set(TOPICS)
    assert result.uncovered == 0


def test_labels_name_word_pairs_without_repeating_their_words():
    texts, _ = planted()
    labels = [theme.label for theme in suggest_themes(texts, max_themes=3).themes]
    lighting = next(label for label in labels if "lighting" in label)
    assert "street lighting" in lighting.split(", ")
    assert "lighting" not in lighting.split(", ")
    assert all(1 <= len(label.split(", ")) <= 3 for label in labels)


def test_suggestions_are_the_same_on_every_run():
    texts, _ = planted()
    assert suggest_themes(texts, max_themes=4) == suggest_themes(texts, max_themes=4)


def test_duplicate_texts_count_in_sizes_but_not_twice_among_examples():
    texts, _ = planted()
    repeated = [text for text in texts for _ in range(5)]
    once = suggest_themes(texts, max_themes=3, examples=3)
    result = suggest_themes(repeated, max_themes=3, examples=3)
    assert [theme.label for theme in result.themes] == [theme.label for theme in once.themes]
    assert [theme.size for theme in result.themes] == [200, 200, 200]
    for theme in result.themes:
        shown = [repeated[i].strip().lower() for i in theme.examples]
        assert len(shown) == len(set(shown)) == 3


def test_no_texts_gives_no_themes_and_says_why():
    result = suggest_themes([])
    assert result.themes == ()
    assert result.reason == NO_TEXTS


@pytest.mark.parametrize(
    "texts",
    [
        ["", "   ", None, "\n"],
        ["😀🎉", "🚓🚓🚓", "👍", "❤️❤️"],
        ["123 456", "2024", "07700 900123"],
        ["@user http://t.co/abc", "https://example.org/x @someone"],
        ["it is what it is", "and then there were none", "we would have"],
    ],
    ids=["empty", "emoji", "numbers", "links and handles", "stopwords"],
)
def test_texts_without_words_give_no_themes_and_say_why(texts):
    result = suggest_themes(texts)
    assert result.themes == ()
    assert result.reason == NO_WORDS
    assert result.uncovered == len(texts)


@pytest.mark.parametrize("copies", [3, 200])
def test_identical_texts_give_no_themes_and_say_why(copies):
    result = suggest_themes(["Fix the street lights!"] * copies + ["fix the street lights!  "])
    assert result.themes == ()
    assert result.reason == ALL_SAME


def test_one_text_with_words_gives_no_themes_and_says_why():
    result = suggest_themes(["speeding cars on my road", "😀🎉", ""])
    assert result.themes == ()
    assert result.reason == TOO_FEW
    assert result.uncovered == 3


def test_fewer_texts_than_themes_gives_fewer_themes_and_says_why():
    texts = ["speeding cars on my road", "speeding cars again", "dark streets", "dark streets here"]
    result = suggest_themes(texts, max_themes=10, examples=5)
    assert 1 <= len(result.themes) <= 2
    assert result.reason.startswith(f"Only {len(result.themes)} theme")
    assert all(len(theme.examples) <= theme.size for theme in result.themes)


def test_emoji_among_texts_leaves_them_uncovered():
    texts, _ = planted()
    result = suggest_themes(texts + ["🚓🚓", "👍"], max_themes=3)
    assert len(result.themes) == 3
    assert result.uncovered == 2


def test_texts_in_other_languages_find_their_own_themes():
    rng = random.Random(3)
    french_light = ["l'éclairage public est éteint", "éclairage public trop faible la nuit"]
    french_speed = ["les voitures roulent trop vite", "voitures trop rapides devant l'école"]
    texts = [rng.choice(french_light) for _ in range(20)] + [
        rng.choice(french_speed) for _ in range(20)
    ]
    texts += ["路灯坏了", "Die Straßenbeleuchtung ist kaputt", "الشارع مظلم"]
    result = suggest_themes(texts, max_themes=2)
    assert len(result.themes) == 2
    light = next(t for t in result.themes if "éclairage" in {w for w, _ in t.terms})
    # The two French texts about lighting first; a text in another language may follow them.
    assert {texts[i] for i in light.examples[:2]} == set(french_light)
    speed = next(t for t in result.themes if t is not light)
    assert {texts[i] for i in speed.examples[:2]} == set(french_speed)


def test_asking_for_no_examples_gives_none():
    texts, _ = planted()
    assert all(theme.examples == () for theme in suggest_themes(texts, examples=0).themes)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"texts": "street lighting"}, "list of strings"),
        ({"texts": ["fine", 3]}, "must be a string"),
        ({"texts": ["fine"], "max_themes": 0}, "between 1 and 30"),
        ({"texts": ["fine"], "max_themes": 31}, "between 1 and 30"),
        ({"texts": ["fine"], "examples": -1}, "between 0 and 20"),
    ],
)
def test_bad_arguments_are_rejected_with_a_message(arguments, message):
    with pytest.raises(ValueError, match=message):
        suggest_themes(**arguments)
