"""The text examples in examples/ (part B: character-level classifiers, the multi-label toxic-comment model, the
char-LSTM generator) and the flagship demo run end to end in smoke mode on the current engine, each in a
subprocess, and print the figure they reached."""

import os
import pathlib
import re
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
SHARED = ROOT / ".." / "shared" / "datasets"

_ACCURACY = r"Test accuracy: [01]\.\d{4} \(always 'ham' would score 0\.\d{4}\)"
# example file -> the result lines it must print
RESULTS = {
    "char_cnn.py": _ACCURACY + r"\n  P\(spam\) = [01]\.\d{3}  WINNER",
    "char_lstm.py": _ACCURACY,
    "char_cnn_lstm.py": _ACCURACY,
    "toxic_multilabel.py": "".join(rf"\n  {label} +[01]\.\d{{4}}   \(\d+ positive test comments\)" for label in
                                   ("toxic", "severe_toxic", "obscene", "threat", "insult", "identity_hate"))
                           + r"\nMean AUC: [01]\.\d{4}",
    "char_lstm_generator.py": r"----- temperature 1\.0: '.+'\n(.|\n)*  temperature 0\.5: '.+'\n(.|\n)*"
                              r"Final training loss: \d\.\d{4}",
}
DEMO = {"code_or_prose.py": r"Test set: loss [\d.]+, accuracy [01]\.\d{4}, auc [01]\.\d{4}\n(.|\n)*"
                            r"Saved the model, character vocabulary included, to code_or_prose\.keras(.|\n)*"
                            r"same probabilities on the test lines: True\n(.|\n)*"
                            r"(prose|code ) [01]\.\d\d  Return the number of items"}


def _run_smoke(engine: str, example: str, tmp_path) -> str:
    env = dict(os.environ, LAMINA_BACKEND=engine, LAMINA_DATASETS=str(SHARED), LAMINA_EXAMPLE_SMOKE="1",
               LAMINA_HOME=str(tmp_path))  # no user config
    result = subprocess.run([sys.executable, str(ROOT / "examples" / example), "--smoke"], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=420)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
    return result.stdout


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/datasets is not beside the clone")
@pytest.mark.parametrize("example", sorted(RESULTS))
def test_text_example_runs_in_smoke_mode(engine, example, tmp_path):
    stdout = _run_smoke(engine, example, tmp_path)
    assert re.search(RESULTS[example], stdout), stdout[-2000:]


@pytest.mark.parametrize("example", sorted(DEMO))
def test_flagship_demo_saves_reloads_and_classifies_raw_strings(engine, example, tmp_path):
    stdout = _run_smoke(engine, example, tmp_path)
    assert re.search(DEMO[example], stdout), stdout[-2000:]
    assert "examples/code_or_prose.py" in (ROOT / "scripts" / "demo.sh").read_text()


def test_missing_data_says_where_to_get_it(engine, tmp_path):
    env = dict(os.environ, LAMINA_BACKEND=engine, LAMINA_DATASETS=str(tmp_path), LAMINA_EXAMPLE_SMOKE="1")
    result = subprocess.run([sys.executable, str(ROOT / "examples" / "char_cnn.py")], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "Set LAMINA_DATASETS" in result.stderr and "archive.ics.uci.edu" in result.stderr
