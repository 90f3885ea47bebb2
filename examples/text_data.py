"""Tiny data helpers shared by the text examples: where the data lives, smoke mode, and two small loaders.

The files are real public data laid out as in ``../shared/datasets`` (see its SOURCES.md): the SMS Spam
Collection (UCI) and a 5,000-comment sample of the Jigsaw toxic-comment set. Set ``LAMINA_DATASETS`` to the
folder holding them; by default the repository's ``../shared/datasets`` is used when it exists.
"""

from __future__ import annotations

import csv
import os
import pathlib
import sys

import numpy as np

JIGSAW_LABELS = ("toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate")


def smoke_mode() -> bool:
    """True for a reduced run in seconds: ``--smoke`` on the command line or ``LAMINA_EXAMPLE_SMOKE=1``."""
    return "--smoke" in sys.argv[1:] or os.environ.get("LAMINA_EXAMPLE_SMOKE", "") not in ("", "0")


def data_file(relative: str) -> pathlib.Path:
    """The path of ``relative`` in the datasets folder, or exit with a message saying where to get it."""
    default = pathlib.Path(__file__).resolve().parents[1] / ".." / "shared" / "datasets"
    folder = pathlib.Path(os.environ.get("LAMINA_DATASETS") or default)
    path = folder / relative
    if not path.is_file():
        sys.exit(f"Data file not found: {path}\nSet LAMINA_DATASETS to a folder holding {relative} (the SMS "
                 "Spam Collection is at https://archive.ics.uci.edu/dataset/228/sms+spam+collection, the Jigsaw "
                 "toxic comments at https://www.kaggle.com/c/jigsaw-toxic-comment-classification-challenge, "
                 "nietzsche.txt at https://s3.amazonaws.com/text-datasets/nietzsche.txt).")
    return path


def sms_spam(seed: int = 0, test_fraction: float = 0.2, limit: int | None = None):
    """``(x_train, y_train), (x_test, y_test)`` from the SMS Spam Collection: raw messages (a NumPy string
    array) and 1.0 for spam, 0.0 for ham, shuffled with ``seed`` and split at random."""
    lines = data_file("sms-spam-collection/SMSSpamCollection").read_text(encoding="utf-8").splitlines()
    labels, texts = zip(*(line.split("\t", 1) for line in lines if line))
    texts, labels = np.array(texts), np.array([label == "spam" for label in labels], dtype="float32")
    order = np.random.default_rng(seed).permutation(len(texts))[:limit]
    texts, labels = texts[order], labels[order]
    split = int(round(len(texts) * (1 - test_fraction)))
    return (texts[:split], labels[:split]), (texts[split:], labels[split:])


SMS_LENGTH = 160  # characters per message in the character-level examples
SMS_CHARACTERS = "abcdefghijklmnopqrstuvwxyz0123456789 .,;:!?'\"&$£%/()+-*#=@<>"


def sms_spam_characters(**vectorizer_options):
    """The common start of the character-level SMS examples: seeded, the SMS Spam Collection split (500
    messages in smoke mode) and summarised, and a ``CharacterVectorization`` (``SMS_LENGTH`` indices,
    ``SMS_CHARACTERS`` allowed, plus ``vectorizer_options``) adapted on the training messages.
    Returns ``(x_train, y_train), (x_test, y_test), vectorizer``."""
    import lamina

    lamina.utils.set_random_seed(1)
    (x_train, y_train), (x_test, y_test) = sms_spam(limit=500 if smoke_mode() else None)
    print(f"{len(x_train)} training and {len(x_test)} test messages, {y_train.mean():.1%} spam")
    vectorizer = lamina.layers.CharacterVectorization(output_sequence_length=SMS_LENGTH,
                                                      allowed_characters=SMS_CHARACTERS, **vectorizer_options)
    vectorizer.adapt(x_train)
    return (x_train, y_train), (x_test, y_test), vectorizer


def jigsaw(split: str = "train", limit: int | None = None):
    """``(comments, labels)`` of the Jigsaw sample: ``split`` "train" (5,000 random comments) or "test" (400,
    half of them with at least one label), or ``limit`` of them drawn at random; labels is ``(n, 6)`` float32
    in ``JIGSAW_LABELS`` order."""
    name = {"train": "train_5k.csv", "test": "test_balanced_400.csv"}[split]
    with open(data_file(f"jigsaw-toxic-sample/{name}"), encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))
    if limit is not None:  # a random subset: the test file lists its clean comments first
        rows = [rows[i] for i in sorted(np.random.default_rng(0).permutation(len(rows))[:limit])]
    texts = np.array([row["comment_text"] for row in rows])
    labels = np.array([[float(row[label]) for label in JIGSAW_LABELS] for row in rows], dtype="float32")
    return texts, labels
