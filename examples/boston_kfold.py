"""Boston housing prices: regression with K-fold validation (k=4), Dense(64) -> Dense(64) -> Dense(1).

The classic small-data regression ("Deep Learning with Python", chapter 4): 404 training houses are too few for a
fixed validation split, so the model is rebuilt and trained on each of 4 folds and scored on the held-out fold;
the mean validation MAE estimates how well the recipe does. A final model trained on all the training data is
then scored on the 102 test houses. Targets are prices in thousands of dollars; features are normalized with the
training data's mean and standard deviation.

Data: ``keras.datasets.boston_housing.load_data()`` (the file from ``LAMINA_DATASETS`` or the cache).

Run: python examples/boston_kfold.py [--smoke]   (--smoke or LAMINA_EXAMPLE_SMOKE=1: 1 epoch per fold)
"""

from __future__ import annotations

import os
import sys

import numpy as np

import lamina as keras
from lamina import layers

SMOKE = "--smoke" in sys.argv or os.environ.get("LAMINA_EXAMPLE_SMOKE") == "1"
K, EPOCHS, FINAL_EPOCHS = 4, (1 if SMOKE else 100), (1 if SMOKE else 130)

(train_data, train_targets), (test_data, test_targets) = keras.datasets.boston_housing.load_data()
mean, std = train_data.mean(axis=0), train_data.std(axis=0)
train_data, test_data = (train_data - mean) / std, (test_data - mean) / std


def build_model() -> keras.Model:
    model = keras.Sequential([
        keras.Input(shape=(train_data.shape[1],)),
        layers.Dense(64, activation="relu"),
        layers.Dense(64, activation="relu"),
        layers.Dense(1),
    ])
    model.compile(optimizer="rmsprop", loss="mse", metrics=["mae"])
    return model


fold_size = len(train_data) // K
scores = []
for fold in range(K):
    held_out = slice(fold * fold_size, (fold + 1) * fold_size)
    val_data, val_targets = train_data[held_out], train_targets[held_out]
    rest = np.r_[0:held_out.start, held_out.stop:len(train_data)]
    model = build_model()  # a fresh model per fold: no weights leak from one fold to the next
    model.fit(train_data[rest], train_targets[rest], epochs=EPOCHS, batch_size=16, verbose=0)
    _, mae = model.evaluate(val_data, val_targets, verbose=0)
    scores.append(mae)
    print(f"fold {fold + 1}/{K}: validation MAE {mae:.2f}")
print(f"mean validation MAE over {K} folds: {np.mean(scores):.2f}")

model = build_model()
model.fit(train_data, train_targets, epochs=FINAL_EPOCHS, batch_size=16, verbose=0)
_, test_mae = model.evaluate(test_data, test_targets, verbose=0)
print(f"Boston housing test MAE: {test_mae:.2f} (thousand dollars)")
