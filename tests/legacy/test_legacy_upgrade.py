"""The codemod ``python -m lamina.legacy.upgrade``: Keras 1/2 source rewritten as modern lamina code.

The corpus (``upgrade_corpus/``) holds small programs written as 2016-2018 tutorials wrote them; each sets
``RESULT``. Rewritten, a program parses, keeps no Keras 1/2 spelling outside the lines the codemod lists,
runs on modern lamina alone, and gives the numbers the original gives through ``lamina.legacy``.
"""

import ast
import contextlib
import importlib
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import lamina
from lamina.legacy import upgrade
from lamina.serialization import keras1_arguments as table

CORPUS = Path(__file__).parent / "upgrade_corpus"
PROGRAMS = sorted(p.name for p in CORPUS.glob("*.py") if p.name != "hand_work.py")
_OLD_FIT_KEYWORDS = {"nb_epoch", "show_accuracy", "samples_per_epoch", "nb_val_samples", "class_mode", "lr", "decay"}


def _marked_lines(text: str) -> list:
    return [n for n, line in enumerate(text.splitlines(), 1) if line.rstrip().endswith("# hand work")]


def _old_spellings(text: str, allowed_lines=()) -> list:
    """``(line, spelling)`` for every Keras 1/2 import, class name or argument left in ``text``."""
    found = []
    for node in ast.walk(ast.parse(text)):
        line = getattr(node, "lineno", None)
        if line in allowed_lines:
            continue
        if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "keras":
            found.append((line, node.module))
        elif isinstance(node, ast.Import) and any(a.name.split(".")[0] == "keras" for a in node.names):
            found.append((line, "import keras"))
        elif isinstance(node, ast.Name) and (node.id in table.CLASS_RENAMES or node.id == "merge"):
            found.append((line, node.id))
        elif isinstance(node, ast.Call):
            callee = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            for keyword in node.keywords:
                if keyword.arg in _OLD_FIT_KEYWORDS or (
                        keyword.arg and table.modern_arguments(callee, {keyword.arg: 1})[2]):
                    found.append((line, f"{callee}({keyword.arg}=)"))
    return found


@contextlib.contextmanager
def _keras_is_lamina_legacy(text: str):
    """Run an unchanged Keras 1/2 program: its ``keras.*`` imports resolve to ``lamina.legacy.*``."""
    modules = set()
    for node in ast.walk(ast.parse(text)):
        names = [node.module] if isinstance(node, ast.ImportFrom) else (
            [a.name for a in node.names] if isinstance(node, ast.Import) else [])
        for name in names:
            parts = (name or "").split(".")
            if parts[0] == "keras":
                modules.update(".".join(parts[:n]) for n in range(1, len(parts) + 1))
    saved = {name: sys.modules.get(name) for name in modules}
    try:
        for name in sorted(modules):
            sys.modules[name] = importlib.import_module("lamina.legacy" + name[len("keras"):])
        yield
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


def _run(text: str, name: str):
    """Execute a corpus program from a fresh session and seed; its ``RESULT`` as an array."""
    lamina.backend.clear_session()
    lamina.utils.set_random_seed(1337)
    namespace = {"__name__": "__corpus__"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        exec(compile(text, name, "exec"), namespace)  # noqa: S102 - the corpus is ours
    return np.asarray(namespace["RESULT"], dtype="float64")


@pytest.mark.parametrize("name", PROGRAMS)
def test_corpus_rewrite_leaves_no_old_spelling(engine, name):
    text = (CORPUS / name).read_text()
    result = upgrade.upgrade_source(text)
    assert result.text != text
    listed = {finding.line for finding in result.rewritten_findings}
    assert _old_spellings(result.text, listed) == []
    assert _old_spellings(text), "the corpus program should be written in Keras 1/2 spelling"


@pytest.mark.parametrize("name", PROGRAMS)
def test_corpus_rewrite_runs_and_gives_the_same_numbers(engine, name):
    text = (CORPUS / name).read_text()
    rewritten = upgrade.upgrade_source(text).text
    modern = _run(rewritten, name)
    assert np.all(np.isfinite(modern))
    try:
        with _keras_is_lamina_legacy(text):
            original = _run(text, name)
    except ImportError as error:  # a lamina.legacy piece still being written: nothing to compare against yet
        if "lamina.legacy" not in str(error):
            raise
        pytest.skip(f"the original cannot run through lamina.legacy yet: {error}")
    np.testing.assert_allclose(modern, original, rtol=1e-4, atol=1e-5)


def test_hand_work_lines_are_listed(engine):
    text = (CORPUS / "hand_work.py").read_text()
    result = upgrade.upgrade_source(text)
    assert sorted({f.line for f in result.findings}) == _marked_lines(text)
    assert _old_spellings(result.text, set(_marked_lines(text))) == []
    assert "from lamina.legacy.models import Graph" in result.text  # what stays runs on lamina.legacy
    assert "Dense(3, input_shape=(3,))" in result.text


def test_positional_arguments_merge_and_keep_their_place(engine):
    text = "from keras.layers import Convolution2D\nc = Convolution2D(32, 3, 3, border_mode='same')\n"
    assert upgrade.upgrade_source(text).text.splitlines()[1] == "c = Conv2D(32, (3, 3), padding='same')"


def test_keywords_renamed_in_place_comments_and_layout_kept(engine):
    text = ("from keras.layers.core import Dense as D\n"
            "layer = D(output_dim=4,  # four units\n"
            "          activation='relu')\n")
    assert upgrade.upgrade_source(text).text == ("from lamina.layers import Dense as D\n"
                                                 "layer = D(units=4,  # four units\n"
                                                 "          activation='relu')\n")


def test_module_attribute_chains(engine):
    text = ("import keras\n"
            "x = keras.layers.convolutional.Convolution1D(8, 3, border_mode='same')\n"
            "y = keras.layers.core.Dropout(0.5)\n")
    assert upgrade.upgrade_source(text).text == ("import lamina as keras\n"
                                                 "x = keras.layers.Conv1D(8, 3, padding='same')\n"
                                                 "y = keras.layers.Dropout(0.5)\n")


def test_optimizer_and_fit_arguments(engine):
    text = ("from keras.optimizers import RMSprop\n"
            "opt = RMSprop(lr=0.01)\n"
            "model.fit(x, y, nb_epoch=3)\n"
            "model.fit(x, y)\n")
    lines = upgrade.upgrade_source(text).text.splitlines()
    assert lines[:2] == ["from lamina.optimizers import RMSprop", "opt = RMSprop(learning_rate=0.01, epsilon=1e-08)"]
    assert lines[2] == "model.fit(x, y, epochs=3)"
    assert lines[3] == "model.fit(x, y)"  # not known to be a Keras model: left alone


def test_keras1_default_epochs_written_out(engine):
    text = "from keras.models import Sequential\nmodel = Sequential()\nmodel.fit(x, y)\n"
    assert upgrade.upgrade_source(text).text.splitlines()[-1] == "model.fit(x, y, epochs=10)"


def test_show_accuracy_without_a_visible_compile_is_listed(engine):
    text = "def train(model, x, y):\n    model.fit(x, y, nb_epoch=1, show_accuracy=True)\n"
    result = upgrade.upgrade_source(text)
    assert "model.fit(x, y, epochs=1)" in result.text
    assert [f.line for f in result.findings] == [2]
    assert "metrics=['accuracy']" in result.findings[0].message


@pytest.mark.skipif(table.modern_arguments("Merge", {"mode": "concat"})[0] == "Merge",
                    reason="keras1_arguments does not translate Merge modes yet")
def test_merge_function_becomes_the_modern_function(engine):
    text = "from keras.layers import merge\nm = merge([a, b], mode='concat', concat_axis=1)\n"
    assert upgrade.upgrade_source(text).text == ("from lamina.layers import concatenate\n"
                                                 "m = concatenate([a, b], axis=1)\n")


def test_command_line_prints_a_diff_and_writes_atomically(engine, tmp_path, capsys):
    clean, hand = tmp_path / "clean.py", tmp_path / "hand.py"
    clean.write_text("from keras.layers.core import Dropout\nd = Dropout(p=0.5)\n")
    hand.write_text((CORPUS / "hand_work.py").read_text())
    assert upgrade.main([str(clean)]) == 0
    out = capsys.readouterr().out
    assert "\n-d = Dropout(p=0.5)\n" in out and "\n+d = Dropout(rate=0.5)\n" in out
    assert clean.read_text().endswith("Dropout(p=0.5)\n")  # a diff only, without --write
    assert upgrade.main([str(hand)]) == 1
    err = capsys.readouterr().err
    graph_line = hand.read_text().splitlines().index("graph = Graph()  # hand work") + 1
    assert f"{hand}:{graph_line}: Graph has no Keras 3 counterpart" in err
    assert upgrade.main(["--write", str(hand)]) == 1
    rewritten = hand.read_text()
    listed = [int(line.split(":")[1]) for line in capsys.readouterr().err.splitlines()]
    assert listed and all(rewritten.splitlines()[n - 1].endswith("# hand work") for n in listed)
    assert upgrade.main(["--write", str(clean)]) == 0
    assert clean.read_text() == "from lamina.layers import Dropout\nd = Dropout(rate=0.5)\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clean.py", "hand.py"]
    capsys.readouterr()
    assert upgrade.main([str(clean)]) == 0 and capsys.readouterr().out == ""
