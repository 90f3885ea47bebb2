"""Flagship demo: a character-level text classifier, trained offline on Python's own standard library.

Each sample is one line of a stdlib module, as a raw string. The label says whether the line is English
prose (a line of a docstring, doctests left out) or Python code. The model reads characters only, and takes
the raw strings itself: CharacterVectorization (each printable ASCII character its own index, cut or
post-padded to 64 characters) -> Embedding -> Flatten -> Dense -> Dropout -> Dense(sigmoid), trained with Adam
on binary crossentropy and scored by accuracy and AUC, with early stopping on the validation loss. The model
is then saved to a .keras file (its character vocabulary travels inside), reloaded, and the reloaded model
classifies new lines given as plain strings.

Run: bash scripts/demo.sh   (or .venv/bin/python examples/code_or_prose.py [--smoke])
"""

from __future__ import annotations

import ast
import os
import pathlib
import sys
import sysconfig
import tempfile

import numpy as np

import lamina as keras
from lamina import layers

SMOKE = "--smoke" in sys.argv[1:] or os.environ.get("LAMINA_EXAMPLE_SMOKE", "") not in ("", "0")
LENGTH = 64
PRINTABLE = [chr(point) for point in range(32, 127)]  # the 95 printable ASCII characters
NEW_LINES = [
    "for index, item in enumerate(sorted(values, key=len)):",
    "Return the number of items that are still waiting in the queue.",
    "self.buffer = bytearray(size) if size else None",
    "This function is deprecated; use the context manager instead.",
    "raise ValueError(f'bad header: {header!r}')",
    "The default is to wait until every worker thread has finished.",
]


def stdlib_lines(limit_files: int = 400) -> tuple[list[str], list[str]]:
    """(prose lines from docstrings, code lines) of the standard library's top-level modules."""
    prose, code = [], []
    for path in sorted(pathlib.Path(sysconfig.get_paths()["stdlib"]).glob("*.py"))[:limit_files]:
        source = path.read_text(encoding="utf-8", errors="ignore")
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        docstring_lines = set()
        for node in ast.walk(tree):
            body = getattr(node, "body", None)
            if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(
                    getattr(body[0], "value", None), ast.Constant) and isinstance(body[0].value.value, str):
                docstring_lines.update(range(body[0].lineno, body[0].end_lineno + 1))
        for number, line in enumerate(source.splitlines(), start=1):
            text = line.strip()
            if len(text) < 24 or text.startswith(("#", ">>>", "...")) or '"""' in text or "'''" in text:
                continue  # too short, a comment, a doctest, or a docstring's quote line
            (prose if number in docstring_lines else code).append(text)
    return prose, code


def dataset(seed: int = 0):
    prose, code = stdlib_lines(limit_files=40 if SMOKE else 400)
    rng = np.random.default_rng(seed)
    count = min(len(prose), len(code))
    prose = [prose[i] for i in rng.permutation(len(prose))[:count]]
    code = [code[i] for i in rng.permutation(len(code))[:count]]
    lines = prose + code
    labels = np.array([1.0] * count + [0.0] * count, dtype="float32")
    order = rng.permutation(len(lines))
    return np.array(lines)[order], labels[order]


def build_model() -> keras.Model:
    inputs = keras.Input(shape=(1,), dtype="string", name="line")
    # index 0 = padding, 1 = any other character, 2..96 = printable ASCII
    vectorizer = layers.CharacterVectorization(
        output_sequence_length=LENGTH, padding="post", truncating="post", lower=False, collapse_whitespace=False,
        vocabulary=PRINTABLE, name="characters")
    x = layers.Embedding(vectorizer.vocabulary_size(), 16, name="char_embedding")(vectorizer(inputs))
    x = layers.Flatten()(x)
    x = layers.Dense(64, activation="relu")(x)
    x = layers.Dropout(0.3)(x)
    outputs = layers.Dense(1, activation="sigmoid", name="is_prose")(x)
    return keras.Model(inputs, outputs, name="code_or_prose")


def main():
    keras.utils.set_random_seed(7)
    x, y = dataset()
    split = int(0.8 * len(x))
    print(f"{len(x)} lines from the Python standard library ({int(y.sum())} prose, {int(len(y) - y.sum())} code); "
          f"training on {split}, testing on {len(x) - split}.\n")
    model = build_model()
    model.summary()
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.002), loss="binary_crossentropy",
                  metrics=["accuracy", keras.metrics.AUC(name="auc")])
    model.fit(x[:split], y[:split], batch_size=64, epochs=2 if SMOKE else 8, validation_split=0.1,
              callbacks=[keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True)])
    results = model.evaluate(x[split:], y[split:], verbose=0, return_dict=True)
    print("\nTest set: " + ", ".join(f"{name} {value:.4f}" for name, value in results.items()))
    probabilities = model.predict(x[split:split + 8], verbose=0)[:, 0]
    print("\nA few test lines (predicted, probability of prose, true label):")
    for line, probability, label in zip(x[split:split + 8], probabilities, y[split:split + 8]):
        print(f"  {_kind(probability):5} {probability:.2f}  {_kind(label):5}  {line[:58]}")

    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "code_or_prose.keras")
        model.save(path)
        print(f"\nSaved the model, character vocabulary included, to {os.path.basename(path)} "
              f"({os.path.getsize(path) / 1024:.0f} KiB); reloading it.")
        reloaded = keras.saving.load_model(path)
    same = np.allclose(reloaded.predict(x[split:split + 8], verbose=0)[:, 0], probabilities, atol=1e-6)
    print(f"The reloaded model gives the same probabilities on the test lines: {same}")
    print("New lines, classified by the reloaded model from raw strings (predicted, probability of prose):")
    for line, probability in zip(NEW_LINES, reloaded.predict(np.array(NEW_LINES), verbose=0)[:, 0]):
        print(f"  {_kind(probability):5} {probability:.2f}  {line}")


def _kind(probability: float) -> str:
    return "prose" if probability > 0.5 else "code"


if __name__ == "__main__":
    main()
