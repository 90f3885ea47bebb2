"""Weights move between engines: a model trained and saved on one engine loads into the same model on the
other and predicts the same numbers. Each engine runs in its own interpreter (an engine is chosen once
per process); the test runs once, from the torch suite."""

import os
import subprocess
import sys

import numpy as np
import pytest

TRAIN_AND_SAVE = """
import json, sys
import numpy as np
import lamina
from lamina import layers
lamina.utils.set_random_seed(3)
inputs = lamina.Input((6,), name="x")
hidden = layers.Dense(8, activation="relu")(inputs)
hidden = layers.Dropout(0.1)(hidden)
outputs = layers.Dense(3, activation="softmax")(hidden)
model = lamina.Model(inputs, outputs)
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
rng = np.random.default_rng(0)
x = rng.standard_normal((64, 6)).astype("float32")
model.fit(x, (x[:, 0] > 0).astype("int64") + (x[:, 1] > 0), epochs=3, verbose=0)
model.save(sys.argv[1])
np.save(sys.argv[2], model.predict(x[:10], verbose=0))
"""

LOAD_AND_PREDICT = """
import sys
import numpy as np
import lamina
model = lamina.saving.load_model(sys.argv[1])
rng = np.random.default_rng(0)
x = rng.standard_normal((64, 6)).astype("float32")
np.save(sys.argv[2], model.predict(x[:10], verbose=0))
print(lamina.backend.backend())
"""


def run(engine, script, *args):
    env = dict(os.environ, LAMINA_BACKEND=engine)
    result = subprocess.run([sys.executable, "-c", script, *args], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout.strip()


@pytest.mark.engines("torch")
@pytest.mark.parametrize("source, target", [("torch", "jax"), ("jax", "torch")])
def test_model_saved_on_one_engine_predicts_the_same_on_the_other(source, target, tmp_path):
    pytest.importorskip("jax")
    path = str(tmp_path / "model.keras")
    run(source, TRAIN_AND_SAVE, path, str(tmp_path / "source.npy"))
    assert run(target, LOAD_AND_PREDICT, path, str(tmp_path / "target.npy")) == target
    np.testing.assert_allclose(np.load(tmp_path / "target.npy"), np.load(tmp_path / "source.npy"), rtol=1e-5,
                               atol=1e-6)
