"""Reuters newswires: a 46-topic classifier, multi-hot words into Dense(64) -> Dense(64) -> Dense(46, softmax).

The classic multi-class text example ("Deep Learning with Python", chapter 4): 8,982 training and 2,246 test
newswires, each a 10,000-wide multi-hot vector, one-hot topic labels, categorical crossentropy.

Data. ``keras.datasets.reuters.load_data(num_words=10000)`` reads ``reuters.npz`` from the folder named by
``LAMINA_DATASETS`` or the cache ``LAMINA_HOME/datasets``, and downloads it there when online. No offline copy of
the Reuters files exists in this project, so in smoke mode (``--smoke`` or ``LAMINA_EXAMPLE_SMOKE=1``), when the
file is not already there, the example trains on a synthetic stand-in with the same shapes and encoding (random
word sequences whose words depend on the topic); the figure it prints then says "synthetic".

Run: python examples/reuters_topics.py [--smoke]
"""

from __future__ import annotations

import os
import sys

import numpy as np

import lamina as keras
from lamina import layers

SMOKE = "--smoke" in sys.argv or os.environ.get("LAMINA_EXAMPLE_SMOKE") == "1"
NUM_WORDS, NUM_TOPICS = 10000, 46


def reuters_npz_available() -> bool:
    folders = [os.environ.get("LAMINA_DATASETS"), os.path.join(keras.config.lamina_home(), "datasets")]
    return any(folder and os.path.isfile(os.path.join(folder, "reuters.npz")) for folder in folders)


def synthetic_reuters(num_train: int, num_test: int, seed: int = 0):
    """Word-index sequences shaped like ``reuters.load_data``'s: start mark 1, words 4..9999, each topic
    drawing half its words from its own 50-word slice of the vocabulary."""
    rng = np.random.default_rng(seed)

    def part(count):
        labels = rng.integers(0, NUM_TOPICS, count)
        sequences = np.empty(count, dtype=object)
        for row, topic in enumerate(labels):
            length = rng.integers(20, 200)
            words = np.where(rng.random(length) < 0.5, rng.integers(4, NUM_WORDS, length),
                             4 + 50 * topic + rng.integers(0, 50, length))
            sequences[row] = [1] + words.tolist()
        return sequences, labels

    return part(num_train), part(num_test)


def multi_hot(sequences, width: int = NUM_WORDS) -> np.ndarray:
    out = np.zeros((len(sequences), width), dtype="float32")
    for row, sequence in enumerate(sequences):
        out[row, sequence] = 1.0
    return out


if SMOKE and not reuters_npz_available():
    source = "synthetic stand-in"
    (train_data, train_labels), (test_data, test_labels) = synthetic_reuters(300, 100)
else:
    source = "keras.datasets.reuters"
    try:
        (train_data, train_labels), (test_data, test_labels) = keras.datasets.reuters.load_data(num_words=NUM_WORDS)
    except OSError as error:
        sys.exit(f"Could not get the Reuters data ({error}). Offline, --smoke runs on a synthetic stand-in.")
    if SMOKE:
        train_data, train_labels, test_data, test_labels = (
            train_data[:300], train_labels[:300], test_data[:100], test_labels[:100])
print(f"{len(train_data)} training and {len(test_data)} test newswires ({source})")

x_train, x_test = multi_hot(train_data), multi_hot(test_data)
y_train = keras.utils.to_categorical(train_labels, NUM_TOPICS)
y_test = keras.utils.to_categorical(test_labels, NUM_TOPICS)

model = keras.Sequential([
    keras.Input(shape=(NUM_WORDS,)),
    layers.Dense(64, activation="relu"),
    layers.Dense(64, activation="relu"),
    layers.Dense(NUM_TOPICS, activation="softmax"),
])
model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
holdout = 1000 if not SMOKE else 50
model.fit(x_train[holdout:], y_train[holdout:], epochs=1 if SMOKE else 9, batch_size=512,
          validation_data=(x_train[:holdout], y_train[:holdout]), verbose=2)
loss, accuracy = model.evaluate(x_test, y_test, batch_size=512, verbose=0)
print(f"Reuters topics test accuracy: {accuracy:.4f} (loss {loss:.4f}, {source})")
