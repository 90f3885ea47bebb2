"""The examples in examples/ (part A: the classic tutorials) run end to end in smoke mode on the current engine,
each in a subprocess reading ../shared/datasets, and print the figure they reached."""

import os
import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHARED = ROOT / ".." / "shared" / "datasets"

# example file -> the result line it must print
RESULTS = {
    "imdb_multi_hot.py": r"IMDB multi-hot test accuracy: 0\.\d{4}",
    "reuters_topics.py": r"Reuters topics test accuracy: 0\.\d{4} \(loss [\d.]+, synthetic stand-in\)",
    "boston_kfold.py": r"mean validation MAE over 4 folds: [\d.]+\n.*Boston housing test MAE: [\d.]+",
    "mnist_mlp.py": r"MNIST MLP test accuracy: [01]\.\d{4}",
    "mnist_cnn.py": r"MNIST CNN test accuracy: [01]\.\d{4}",
    "autoencoder.py": r"Autoencoder test reconstruction loss: 0\.\d{4} binary crossentropy, 0\.\d{4} MSE",
    "custom_layer.py": r"same predictions after reload: True\n.*Custom layer model test accuracy after reload: "
                       r"[01]\.\d{4}",
    "multi_input.py": r"Multi-input spam model test accuracy: [01]\.\d{4}, AUC [01]\.\d{4}",
}


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/datasets is not beside the clone")
@pytest.mark.parametrize("example", sorted(RESULTS))
def test_example_runs_in_smoke_mode(engine, example, tmp_path):
    env = dict(os.environ, LAMINA_BACKEND=engine, LAMINA_DATASETS=str(SHARED), LAMINA_EXAMPLE_SMOKE="1",
               LAMINA_HOME=str(tmp_path),  # no user config, and nothing cached from elsewhere
               LAMINA_DATASETS_ORIGIN="http://127.0.0.1:9/")  # the discard port: never download
    result = subprocess.run([sys.executable, str(ROOT / "examples" / example), "--smoke"], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    assert re.search(RESULTS[example], result.stdout), result.stdout[-2000:]
