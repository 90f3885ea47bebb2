"""A multi-input functional model: SMS spam detection from the message's words AND a few numbers about it.

Two inputs: ``words`` (the message as word indices from a ``TextVectorization`` layer adapted on the training
messages) and ``stats`` (length, share of digits, share of capitals, count of currency signs and "!", normalized
by a ``Normalization`` layer adapted on the training data). Each branch makes 16 features; one ``Dense`` layer
object is then called on both branches, so the two share its weights (a shared layer), and the two results are
concatenated into a sigmoid output. Trained with Adam on binary crossentropy; prints the test accuracy and AUC.

Data: the SMS Spam Collection (5,574 messages, 13% spam; UCI, CC BY 4.0) at
``sms-spam-collection/SMSSpamCollection`` in ``LAMINA_DATASETS`` (default ``../shared/datasets``).

Run: python examples/multi_input.py [--smoke]   (--smoke or LAMINA_EXAMPLE_SMOKE=1: 600 messages, 1 epoch)
"""

from __future__ import annotations

import os
import pathlib
import sys

import numpy as np

import lamina as keras
from lamina import layers

SMOKE = "--smoke" in sys.argv or os.environ.get("LAMINA_EXAMPLE_SMOKE") == "1"
DATASETS = pathlib.Path(os.environ.get("LAMINA_DATASETS")
                        or pathlib.Path(__file__).resolve().parents[1] / ".." / "shared" / "datasets")
VOCABULARY, LENGTH = 5000, 40

lines = (DATASETS / "sms-spam-collection" / "SMSSpamCollection").read_text(encoding="utf-8").splitlines()
labels, messages = zip(*(line.split("\t", 1) for line in lines))
messages = np.array(messages, dtype=object)
targets = np.array([label == "spam" for label in labels], dtype="float32")
order = np.random.default_rng(0).permutation(len(messages))[:600 if SMOKE else None]
messages, targets = messages[order], targets[order]


def message_stats(texts) -> np.ndarray:
    """Per message: length, share of digits, share of capitals, count of currency signs and '!'."""
    return np.array([[len(t), sum(c.isdigit() for c in t) / len(t), sum(c.isupper() for c in t) / len(t),
                      sum(c in "£$€!" for c in t)] for t in texts], dtype="float32")


cut = int(0.8 * len(messages))
vectorizer = layers.TextVectorization(max_tokens=VOCABULARY, output_sequence_length=LENGTH)
vectorizer.adapt(messages[:cut])
words = keras.ops.convert_to_numpy(vectorizer(messages))
stats = message_stats(messages)
normalizer = layers.Normalization()
normalizer.adapt(stats[:cut])

words_input = keras.Input(shape=(LENGTH,), dtype="int32", name="words")
stats_input = keras.Input(shape=(4,), name="stats")
text_features = layers.GlobalAveragePooling1D()(layers.Embedding(VOCABULARY, 16)(words_input))
number_features = layers.Dense(16, activation="relu")(normalizer(stats_input))
shared = layers.Dense(16, activation="relu", name="shared")  # one layer, called on both branches
merged = layers.Concatenate()([shared(text_features), shared(number_features)])
output = layers.Dense(1, activation="sigmoid", name="spam")(merged)
model = keras.Model(inputs=[words_input, stats_input], outputs=output)

model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy", keras.metrics.AUC(name="auc")])
model.fit({"words": words[:cut], "stats": stats[:cut]}, targets[:cut], epochs=1 if SMOKE else 10, batch_size=32,
          validation_split=0.1, verbose=2)
_, accuracy, auc = model.evaluate({"words": words[cut:], "stats": stats[cut:]}, targets[cut:], verbose=0)
print(f"Multi-input spam model test accuracy: {accuracy:.4f}, AUC {auc:.4f}")
