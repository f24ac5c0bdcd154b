"""Sentiment: the one scoring interface, the stored trained model, training it, and rescoring."""

import io
import json
import shutil
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import func, select, update

from engage.analysis import sentiment_training
from engage.analysis.sentiment import (
    ANALYSERS,
    Sentiment,
    model_sentiment,
    polarity,
    polarity_label,
    score,
)
from engage.analysis.sentiment_model import (
    METADATA_FILE,
    MODEL_DIR,
    WEIGHTS_FILE,
    ModelMismatch,
    load_model,
    stored_model,
)
from engage.social.models import Campaign, SocialPost
from engage.social.services.imports import import_posts
from engage.surveys.models import Answer, QuestionKind
from engage.surveys.services import tallies
from tests.conftest import DAILY_POST_ID
from tests.x_api import page, reply

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "tweeteval-sentiment"
AWKWARD_TEXTS = [
    "",
    "   ",
    "😍😍🎉",
    "😡👎",
    "La police est arrivée très vite, merci beaucoup",
    "警察はとても親切でした",
    "#WMP2020",
    "a" * 5000,
]


@pytest.mark.parametrize("analyser", sorted(ANALYSERS))
def test_every_analyser_labels_awkward_texts_without_crashing(analyser):
    results = score(AWKWARD_TEXTS, analyser)

    assert len(results) == len(AWKWARD_TEXTS)
    for result in results:
        assert result.label in ("negative", "neutral", "positive")
        assert isinstance(result.score, float) and -1.0 <= result.score <= 1.0
        assert polarity_label(result.score) == result.label
    assert results[0] == results[1] == Sentiment("neutral", 0.0)


def test_default_model_separates_praise_complaint_and_plain_facts():
    praise, complaint, fact, emoji = score(
        [
            "The officers were wonderful and very helpful, thank you",
            "Terrible, awful response, nobody came and I am very angry",
            "The station is on Lloyd Street",
            "😍😍🎉",
        ]
    )

    assert praise.label == "positive" and praise.score > 0.3
    assert complaint.label == "negative" and complaint.score < -0.3
    assert fact.label == "neutral"
    assert emoji.label == "positive"
    assert polarity("The officers were wonderful and very helpful, thank you") == praise.score


def test_unknown_analyser_is_refused_with_the_names_to_use():
    with pytest.raises(ValueError, match="textblob"):
        score(["fine"], "bert")


@pytest.mark.parametrize(
    ("probabilities", "label"),
    [
        ((0.1, 0.2, 0.7), "positive"),
        ((0.33, 0.33, 0.34), "positive"),  # weakly positive still reads as positive
        ((0.34, 0.33, 0.33), "negative"),
        ((0.7, 0.2, 0.1), "negative"),
        ((0.05, 0.9, 0.05), "neutral"),
        ((0.45, 0.5, 0.05), "neutral"),  # leans negative, but neutral stays inside the band
        ((0.05, 0.5, 0.45), "neutral"),
    ],
)
def test_model_polarity_falls_in_the_band_of_the_models_label(probabilities, label):
    result = model_sentiment(*probabilities)

    assert result.label == label
    assert polarity_label(result.score) == label
    assert -1.0 <= result.score <= 1.0


def test_model_labels_agree_with_stored_polarity_bands_on_many_texts():
    texts = [
        f"{word} service from the police {tail}"
        for word in ("great", "awful", "some", "no", "slow", "quick")
        for tail in ("", "today", ":)", ":(", "#WMP2020")
    ]

    for result in score(texts):
        assert polarity_label(result.score) == result.label


def test_stored_model_is_plain_arrays_and_json_and_reproduces_its_checks():
    with np.load(MODEL_DIR / WEIGHTS_FILE, allow_pickle=False) as arrays:
        assert all(arrays[name].dtype != object for name in arrays.files)
    with zipfile.ZipFile(MODEL_DIR / WEIGHTS_FILE) as archive:
        assert all(name.endswith(".npy") for name in archive.namelist())
    total_bytes = sum(path.stat().st_size for path in MODEL_DIR.iterdir())
    assert total_bytes < 10_000_000

    model = load_model(MODEL_DIR)
    checks = model.metadata["checks"]
    got = model.probabilities([check["text"] for check in checks])
    assert np.allclose(got, [check["probabilities"] for check in checks], atol=1e-6)
    assert stored_model() is stored_model()  # loaded once per process


def test_stored_model_metadata_records_version_provenance_and_validation():
    metadata = load_model(MODEL_DIR).metadata

    assert metadata["model_version"]
    assert metadata["validation"]["macro_recall"] >= 0.65
    assert "licence" in metadata["training_data"]
    assert metadata["settings"]["class_weight"] == "balanced"
    assert not any("test" in name for name in metadata["training_data"]["files"])


def test_a_model_that_no_longer_reproduces_its_checks_is_refused(tmp_path):
    copy = tmp_path / "model"
    shutil.copytree(MODEL_DIR, copy)
    metadata = json.loads((copy / METADATA_FILE).read_text(encoding="utf-8"))
    metadata["checks"][0]["probabilities"] = [1.0, 0.0, 0.0]
    (copy / METADATA_FILE).write_text(json.dumps(metadata), encoding="utf-8")

    with pytest.raises(ModelMismatch):
        load_model(copy)


@pytest.mark.skipif(not SHARED_DATA.exists(), reason="../shared is not beside this checkout")
def test_stored_model_scores_its_recorded_figures_on_the_validation_split():
    val = sentiment_training.read_split(SHARED_DATA, "val")
    model = load_model(MODEL_DIR)

    scores = sentiment_training.evaluate(val.labels, sentiment_training.predict(model, val.texts))

    assert scores == model.metadata["validation"]
    assert scores["macro_recall"] >= 0.65


TINY_TRAIN = [
    ("I love this, great work, thank you", 2),
    ("what a wonderful helpful team, love it", 2),
    ("great news today, happy and thankful", 2),
    ("I hate this, awful and terrible", 0),
    ("terrible service, so angry, hate it", 0),
    ("awful slow response, really angry today", 0),
    ("the meeting is on tuesday at the centre", 1),
    ("the report is published on the website today", 1),
    ("the centre opens on tuesday at nine", 1),
]


def _write_split(directory: Path, split: str, rows) -> None:
    name = "train_text_reconstructed.txt" if split == "train" else f"{split}_text.txt"
    # TweetEval's format: one text a line, each with a trailing space; labels 0/1/2.
    (directory / name).write_text("".join(f"{text} \n" for text, _ in rows), encoding="utf-8")
    (directory / f"{split}_labels.txt").write_text(
        "".join(f"{label}\n" for _, label in rows), encoding="utf-8"
    )


def test_train_command_trains_a_model_that_loads_and_scores(runner, tmp_path):
    data, out = tmp_path / "data", tmp_path / "model"
    data.mkdir()
    _write_split(data, "train", TINY_TRAIN * 4)
    _write_split(data, "val", TINY_TRAIN)

    result = runner.invoke(
        args=["analysis", "train-sentiment", "--data", str(data), "--out", str(out)]
    )

    assert result.exit_code == 0, result.output
    assert "Fitting logistic regression" in result.output
    assert "macro recall" in result.output and "accuracy" in result.output
    model = load_model(out)
    assert model.metadata["training_data"]["train_size"] == 36
    assert model.probabilities(["love it, great"]).argmax() == 2
    assert model.probabilities(["hate it, terrible"]).argmax() == 0


def test_train_command_refuses_a_directory_without_both_splits(runner, tmp_path):
    _write_split(tmp_path, "train", TINY_TRAIN)

    result = runner.invoke(args=["analysis", "train-sentiment", "--data", str(tmp_path)])

    assert result.exit_code != 0
    assert "has no val split" in result.output


def test_train_command_refuses_labels_that_do_not_match_the_texts(runner, tmp_path):
    _write_split(tmp_path, "train", TINY_TRAIN)
    _write_split(tmp_path, "val", TINY_TRAIN)
    (tmp_path / "val_labels.txt").write_text("0\n1\n", encoding="utf-8")
    out = tmp_path / "model"

    result = runner.invoke(
        args=["analysis", "train-sentiment", "--data", str(tmp_path), "--out", str(out)]
    )

    assert result.exit_code != 0
    assert "9 lines but val_labels.txt 2" in result.output
    assert not out.exists()


def test_rescore_command_recomputes_posts_and_free_text_answers(
    app, db, runner, make_campaign, make_consultation, make_response
):
    consultation_id = make_consultation(slug="answers", kinds=(QuestionKind.FREE_TEXT,))
    make_response(consultation_id, {QuestionKind.FREE_TEXT: "Brilliant, thank you so much"})
    campaign = db.session.get(Campaign, make_campaign())
    now = datetime.now(UTC)
    tweets = [
        reply(1, "What a wonderful, excellent idea #WMP2020", now, DAILY_POST_ID),
        reply(2, "Awful idea, a total waste of money #WMP2020", now, DAILY_POST_ID),
    ]
    import_posts(campaign, io.BytesIO(json.dumps(page(tweets)).encode()), "x-jsonl")
    db.session.execute(update(SocialPost).values(polarity=0.0))
    db.session.commit()

    result = runner.invoke(args=["analysis", "rescore"])

    assert result.exit_code == 0, result.output
    assert "Rescoring posts: 2 done" in result.output
    assert "Rescoring free-text answers: 1 done" in result.output
    db.session.expire_all()
    posts = dict(db.session.execute(select(SocialPost.external_id, SocialPost.polarity)).all())
    assert posts["1"] > 0.05 > -0.05 > posts["2"]
    answer_polarity = db.session.scalar(select(Answer.polarity).where(Answer.text.is_not(None)))
    assert answer_polarity > 0.05


def _unscored(db) -> int:
    return db.session.scalar(
        select(func.count()).where(Answer.text.is_not(None), Answer.polarity.is_(None))
    )


def test_comments_are_stored_unscored_then_scored_by_the_fold_command(
    db, runner, make_consultation, make_response
):
    consultation_id = make_consultation(kinds=(QuestionKind.FREE_TEXT,))
    make_response(consultation_id, {QuestionKind.FREE_TEXT: "Terrible, nobody came"})
    make_response(consultation_id, {QuestionKind.FREE_TEXT: "Thank you, brilliant officers"})
    assert _unscored(db) == 2

    result = runner.invoke(args=["results", "fold"])

    assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert _unscored(db) == 0
    labels = {
        text: polarity_label(value)
        for text, value in db.session.execute(select(Answer.text, Answer.polarity))
    }
    assert labels == {
        "Terrible, nobody came": "negative",
        "Thank you, brilliant officers": "positive",
    }


def test_a_recount_scores_the_comments_it_takes_off_the_awaiting_list(
    db, make_consultation, make_response
):
    consultation_id = make_consultation(kinds=(QuestionKind.FREE_TEXT,))
    make_response(consultation_id, {QuestionKind.FREE_TEXT: "Terrible, nobody came"})

    tallies.recount_tallies(consultation_id)
    db.session.commit()

    assert tallies.count_pending() == 0
    assert _unscored(db) == 0
