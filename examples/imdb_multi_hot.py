"""IMDB sentiment: multi-hot encoded reviews (10,000 words) into Dense(16) -> Dense(16) -> Dense(1, sigmoid).

The classic first text classifier ("Deep Learning with Python", chapter 4): each review becomes a 10,000-wide
0/1 vector saying which of the 10,000 most frequent words it uses.

Data. With Keras' ``imdb.npz`` at hand (in the folder named by ``LAMINA_DATASETS``, or in the cache
``LAMINA_HOME/datasets``, or downloadable) the reviews come from ``keras.datasets.imdb.load_data(num_words=10000)``.
Offline without that file, the example builds the same kind of sequences itself from the raw Large Movie Review
Dataset (``aclImdb/aclImdb_labeled.tar.gz`` in ``LAMINA_DATASETS``, default ``../shared/datasets``): each review
is lower-cased, ``<br />`` tags become the word ``br`` (as in Keras' file), it is split into words, and each word
becomes its frequency rank from Keras' own ``imdb_word_index.json`` (``keras.datasets.imdb.get_word_index()``)
plus 3, with 1 as the start mark and 2 for words outside the 10,000 — the encoding ``load_data`` uses. The
tokenization Keras used to build ``imdb.npz`` is unpublished, so these sequences are close to, not equal to,
Keras' ones; the 25,000/25,000 train/test split is the dataset's own.

Run: python examples/imdb_multi_hot.py [--smoke]   (--smoke or LAMINA_EXAMPLE_SMOKE=1: a few hundred reviews, 1 epoch)
"""

from __future__ import annotations

import os
import pathlib
import re
import sys
import tarfile

import numpy as np

import lamina as keras
from lamina import layers

SMOKE = "--smoke" in sys.argv or os.environ.get("LAMINA_EXAMPLE_SMOKE") == "1"
NUM_WORDS = 10000
DATASETS = pathlib.Path(os.environ.get("LAMINA_DATASETS")
                        or pathlib.Path(__file__).resolve().parents[1] / ".." / "shared" / "datasets")


def imdb_npz_available() -> bool:
    folders = [os.environ.get("LAMINA_DATASETS"), os.path.join(keras.config.lamina_home(), "datasets")]
    return any(folder and os.path.isfile(os.path.join(folder, "imdb.npz")) for folder in folders)


def load_from_raw_reviews(every: int = 1):
    """``(x_train, y_train), (x_test, y_test)`` encoded like ``imdb.load_data(num_words=10000)``, from aclImdb."""
    word_index = keras.datasets.imdb.get_word_index()
    splits = {"train": ([], []), "test": ([], [])}
    with tarfile.open(DATASETS / "aclImdb" / "aclImdb_labeled.tar.gz") as archive:
        for number, member in enumerate(archive):
            parts = member.name.split("/")  # aclImdb/<split>/<pos|neg>/<id>_<rating>.txt
            if len(parts) != 4 or parts[2] not in ("pos", "neg") or number % every:
                continue
            text = archive.extractfile(member).read().decode("utf-8").lower().replace("<br />", " br ")
            ranks = (word_index.get(word, NUM_WORDS) + 3 for word in re.findall(r"[a-z0-9']+", text))
            splits[parts[1]][0].append([1] + [rank if rank < NUM_WORDS else 2 for rank in ranks])
            splits[parts[1]][1].append(int(parts[2] == "pos"))
    rng = np.random.default_rng(113)
    result = []
    for sequences, labels in splits.values():
        order = rng.permutation(len(labels))
        result.append((np.array(sequences, dtype=object)[order], np.array(labels)[order]))
    return tuple(result)


def multi_hot(sequences, width: int = NUM_WORDS) -> np.ndarray:
    out = np.zeros((len(sequences), width), dtype="float32")
    for row, sequence in enumerate(sequences):
        out[row, sequence] = 1.0
    return out


if imdb_npz_available():
    source = "keras.datasets.imdb.load_data"
    (train_data, train_labels), (test_data, test_labels) = keras.datasets.imdb.load_data(num_words=NUM_WORDS)
    if SMOKE:
        train_data, train_labels, test_data, test_labels = (
            train_data[:400], train_labels[:400], test_data[:200], test_labels[:200])
else:
    source = "raw aclImdb reviews + imdb_word_index.json"
    (train_data, train_labels), (test_data, test_labels) = load_from_raw_reviews(every=100 if SMOKE else 1)
print(f"{len(train_data)} training and {len(test_data)} test reviews from {source}")

x_train, x_test = multi_hot(train_data), multi_hot(test_data)
y_train, y_test = train_labels.astype("float32"), test_labels.astype("float32")

model = keras.Sequential([
    keras.Input(shape=(NUM_WORDS,)),
    layers.Dense(16, activation="relu"),
    layers.Dense(16, activation="relu"),
    layers.Dense(1, activation="sigmoid"),
])
model.compile(optimizer="rmsprop", loss="binary_crossentropy", metrics=["accuracy"])
holdout = len(x_train) // 5  # the tutorial's validation set: watch it to pick the number of epochs
model.fit(x_train[holdout:], y_train[holdout:], epochs=1 if SMOKE else 4, batch_size=512,
          validation_data=(x_train[:holdout], y_train[:holdout]), verbose=2)
loss, accuracy = model.evaluate(x_test, y_test, batch_size=512, verbose=0)
print(f"IMDB multi-hot test accuracy: {accuracy:.4f} (loss {loss:.4f})")
