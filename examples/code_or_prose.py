"""Flagship demo: a character-level text classifier, trained offline on Python's own standard library.

Each sample is one line of a stdlib module, cut or padded to 64 characters. The label says whether the line
is English prose (a line of a docstring, doctests left out) or Python code. The model reads characters only:
Embedding -> Flatten -> Dense -> Dropout -> Dense(sigmoid), trained with Adam on binary crossentropy and
scored by accuracy and AUC, with early stopping on the validation loss.

Run: bash scripts/demo.sh   (or .venv/bin/python examples/code_or_prose.py)
"""

from __future__ import annotations

import ast
import pathlib
import sysconfig

import numpy as np

import lamina as keras
from lamina import layers

LENGTH = 64
VOCABULARY = 97  # 0 = padding, 1..95 = printable ASCII, 96 = anything else


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


def encode(lines: list[str]) -> np.ndarray:
    codes = np.zeros((len(lines), LENGTH), dtype="int32")
    for row, line in enumerate(lines):
        for column, character in enumerate(line[:LENGTH]):
            point = ord(character)
            codes[row, column] = point - 31 if 32 <= point <= 126 else 96
    return codes


def dataset(seed: int = 0):
    prose, code = stdlib_lines()
    rng = np.random.default_rng(seed)
    count = min(len(prose), len(code))
    prose = [prose[i] for i in rng.permutation(len(prose))[:count]]
    code = [code[i] for i in rng.permutation(len(code))[:count]]
    lines = prose + code
    labels = np.array([1.0] * count + [0.0] * count, dtype="float32")
    order = rng.permutation(len(lines))
    lines = [lines[i] for i in order]
    return lines, encode(lines), labels[order]


def build_model() -> keras.Model:
    inputs = keras.Input(shape=(LENGTH,), dtype="int32", name="characters")
    x = layers.Embedding(VOCABULARY, 16, name="char_embedding")(inputs)
    x = layers.Flatten()(x)
    x = layers.Dense(64, activation="relu")(x)
    x = layers.Dropout(0.3)(x)
    outputs = layers.Dense(1, activation="sigmoid", name="is_prose")(x)
    return keras.Model(inputs, outputs, name="code_or_prose")


def main():
    keras.utils.set_random_seed(7)
    lines, x, y = dataset()
    split = int(0.8 * len(x))
    print(f"{len(x)} lines from the Python standard library ({int(y.sum())} prose, {int(len(y) - y.sum())} code); "
          f"training on {split}, testing on {len(x) - split}.\n")
    model = build_model()
    model.summary()
    model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.002), loss="binary_crossentropy",
                  metrics=["accuracy", keras.metrics.AUC(name="auc")])
    model.fit(x[:split], y[:split], batch_size=64, epochs=8, validation_split=0.1,
              callbacks=[keras.callbacks.EarlyStopping(patience=2, restore_best_weights=True)])
    results = model.evaluate(x[split:], y[split:], verbose=0, return_dict=True)
    print("\nTest set: " + ", ".join(f"{name} {value:.4f}" for name, value in results.items()))
    probabilities = model.predict(x[split:split + 8], verbose=0)[:, 0]
    print("\nA few test lines (predicted, probability of prose, true label):")
    for line, probability, label in zip(lines[split:split + 8], probabilities, y[split:split + 8]):
        guess, truth = ("prose" if probability > 0.5 else "code"), ("prose" if label else "code")
        print(f"  {guess:5} {probability:.2f}  {truth:5}  {line[:58]}")


if __name__ == "__main__":
    main()
