"""lamina.text.generate and SampleTextCallback: greedy generation from hand-set models, a real fit that prints
samples at the chosen epochs, and the classic char-LSTM recipe on Nietzsche."""

import pathlib

import numpy as np
import pytest

import lamina
from lamina import layers
from lamina.text import SampleTextCallback, generate

ALPHABET = "abcde"
CHAR_INDICES = {c: i for i, c in enumerate(ALPHABET)}
WINDOW = 3
DATASETS = pathlib.Path(__file__).resolve().parents[2] / ".." / "shared" / "datasets"


def next_letter_kernel(window: int, rows_per_position: int) -> np.ndarray:
    """A Dense kernel on flattened window features that puts logit 20 on the letter after the window's last."""
    n = len(ALPHABET)
    kernel = np.zeros((window * rows_per_position, n), dtype="float32")
    last = (window - 1) * rows_per_position
    for i in range(n):
        kernel[last + i, (i + 1) % n] = 20.0
    return kernel


def one_hot_cycle_model():
    """Input (1, WINDOW, len(ALPHABET)) one-hot, as in Keras' char-LSTM example; predicts the next letter."""
    model = lamina.Sequential([lamina.Input((WINDOW, len(ALPHABET))), layers.Flatten(),
                               layers.Dense(len(ALPHABET), activation="softmax")])
    model.layers[-1].set_weights([next_letter_kernel(WINDOW, len(ALPHABET)), np.zeros(len(ALPHABET), "float32")])
    return model


def index_cycle_model():
    """Input (1, WINDOW) letter indices through an identity Embedding; predicts the next letter."""
    n = len(ALPHABET)
    model = lamina.Sequential([lamina.Input((WINDOW,), dtype="int32"), layers.Embedding(n, n), layers.Flatten(),
                               layers.Dense(n, activation="softmax")])
    model.layers[0].set_weights([np.eye(n, dtype="float32")])
    model.layers[-1].set_weights([next_letter_kernel(WINDOW, n), np.zeros(n, "float32")])
    return model


def test_greedy_one_hot_generation_follows_the_cycle(engine):
    assert generate(one_hot_cycle_model(), "abc", 12, CHAR_INDICES, temperature=0) == "deabcdeabcde"


def test_a_short_seed_is_pre_padded_and_a_long_one_windowed(engine):
    model = one_hot_cycle_model()
    assert generate(model, "b", 4, CHAR_INDICES, temperature=0) == "cdea"  # window length from the model
    assert generate(model, "eeeeeeed", 3, CHAR_INDICES, temperature=0) == "eab"


def test_index_encoding_feeds_an_embedding_model(engine):
    assert generate(index_cycle_model(), "ca", 6, CHAR_INDICES, encoding="int", temperature=0) == "bcdeab"


class LetterVectorizer:
    """A TextVectorization-like callable: a batch of strings to pre-padded index rows, with a vocabulary."""

    def __call__(self, texts):
        rows = [[CHAR_INDICES[c] for c in text[-WINDOW:]] for text in texts]
        return lamina.ops.convert_to_tensor(np.array([[0] * (WINDOW - len(r)) + r for r in rows], dtype="int32"))

    def get_vocabulary(self):
        return list(ALPHABET)


def test_a_vectorizer_and_its_vocabulary_drive_the_model(engine):
    assert generate(index_cycle_model(), "abcd", 7, LetterVectorizer(), temperature=0) == "eabcdea"


def test_word_tokens_are_joined_by_the_separator(engine):
    words = ["alpha", "beta", "gamma", "delta", "epsilon"]
    vectorizer = lambda texts: np.array([[words.index(w) for w in t.split()[-WINDOW:]] for t in texts])  # noqa: E731
    text = generate(index_cycle_model(), "alpha beta gamma", 3, vectorizer, index_to_token=words, separator=" ",
                    temperature=0)
    assert text == "delta epsilon alpha"


def test_sequence_outputs_are_read_at_the_last_step(engine):
    def model(x):  # (1, time, vocabulary): the last step says "c"
        out = np.full((1, WINDOW, len(ALPHABET)), 0.2, dtype="float32")
        out[0, -1] = [0, 0, 1, 0, 0]
        return lamina.ops.convert_to_tensor(out)

    assert generate(model, "abc", 3, CHAR_INDICES, length=WINDOW) == "ccc"


def test_sampled_generation_is_reproducible_and_stays_in_the_support(engine):
    model = one_hot_cycle_model()
    model.layers[-1].set_weights([next_letter_kernel(WINDOW, len(ALPHABET)) / 20, np.zeros(len(ALPHABET), "float32")])
    first = generate(model, "abc", 30, CHAR_INDICES, temperature=1.0, seed=5)
    assert first == generate(model, "abc", 30, CHAR_INDICES, temperature=1.0, seed=5)
    assert len(first) == 30 and set(first) <= set(ALPHABET) and len(set(first)) > 1
    assert generate(model, "abc", 30, CHAR_INDICES, top_k=1, seed=5) == "deabc" * 6


def test_bad_arguments_are_refused(engine):
    model = one_hot_cycle_model()
    with pytest.raises(ValueError, match="characters the mapping lacks: \\['z'\\]"):
        generate(model, "abz", 3, CHAR_INDICES)
    with pytest.raises(ValueError, match="`steps` of generate"):
        generate(model, "abc", -1, CHAR_INDICES)
    with pytest.raises(ValueError, match="`encoding` of generate"):
        generate(model, "abc", 1, CHAR_INDICES, encoding="bytes")
    with pytest.raises(TypeError, match="`vectorizer` of generate"):
        generate(model, "abc", 1, 42)
    with pytest.raises(ValueError, match="index_to_token"):
        generate(model, "abc", 1, lambda texts: np.zeros((1, WINDOW), "int32"))


def cycle_training_data(n: int = 64):
    starts = np.arange(n) % len(ALPHABET)
    codes = (starts[:, None] + np.arange(WINDOW + 1)) % len(ALPHABET)
    eye = np.eye(len(ALPHABET), dtype="float32")
    return eye[codes[:, :WINDOW]], eye[codes[:, WINDOW]]


def test_callback_prints_samples_at_the_chosen_epochs_during_fit(engine, capsys):
    model = lamina.Sequential([lamina.Input((WINDOW, len(ALPHABET))), layers.LSTM(8),
                               layers.Dense(len(ALPHABET), activation="softmax")])
    model.compile(loss="categorical_crossentropy", optimizer=lamina.optimizers.RMSprop(0.05))
    x, y = cycle_training_data()
    callback = SampleTextCallback("abc", 10, CHAR_INDICES, temperatures=(0.0, 1.0), every=[1, 3], seed=0)
    model.fit(x, y, batch_size=16, epochs=4, verbose=0, callbacks=[callback])
    lines = capsys.readouterr().out.splitlines()
    assert [line for line in lines if "after epoch" in line] == [
        "----- Generating text after epoch 1, seed: 'abc'", "----- Generating text after epoch 3, seed: 'abc'"]
    samples = [line for line in lines if line.startswith("----- temperature")]
    assert [line.split(":")[0] for line in samples] == ["----- temperature 0.0", "----- temperature 1.0"] * 2
    assert all(len(eval(line.split(": ", 1)[1])) == 10 for line in samples)


def test_callback_every_n_epochs_and_the_logger(engine, caplog):
    model = one_hot_cycle_model()
    model.compile(loss="categorical_crossentropy", optimizer="sgd")
    x, y = cycle_training_data(8)
    callback = SampleTextCallback(lambda: "cde", 5, CHAR_INDICES, temperatures=[0], every=2)
    lamina.config.disable_interactive_logging()
    try:
        with caplog.at_level("INFO", logger="lamina"):
            model.fit(x, y, epochs=5, verbose=0, callbacks=[callback])
    finally:
        lamina.config.enable_interactive_logging()
    messages = [record.getMessage() for record in caplog.records]
    assert [m for m in messages if "after epoch" in m] == [
        "----- Generating text after epoch 2, seed: 'cde'", "----- Generating text after epoch 4, seed: 'cde'"]
    assert "----- temperature 0: 'abcde'" in messages


def test_callback_refuses_bad_arguments(engine):
    with pytest.raises(ValueError, match="`every` of SampleTextCallback"):
        SampleTextCallback("abc", 5, CHAR_INDICES, every=0)
    with pytest.raises(ValueError, match="`every` of SampleTextCallback"):
        SampleTextCallback("abc", 5, CHAR_INDICES, every=[0, 2])
    with pytest.raises(TypeError, match="unexpected arguments \\['temprature'\\]"):
        SampleTextCallback("abc", 5, CHAR_INDICES, temprature=0.5)


@pytest.mark.skipif(not (DATASETS / "nietzsche.txt").exists(), reason="needs ../shared/datasets/nietzsche.txt")
def test_the_classic_char_lstm_recipe_on_nietzsche(engine, capsys):
    """The module docstring's dozen lines, on the first 2,400 characters for one epoch."""
    text = (DATASETS / "nietzsche.txt").read_text(encoding="utf-8").lower()[:2400]
    chars = sorted(set(text))
    char_indices = {c: i for i, c in enumerate(chars)}
    maxlen, step = 40, 3
    starts = np.arange(0, len(text) - maxlen, step)
    codes = np.array([char_indices[c] for c in text])
    x = np.eye(len(chars), dtype="float32")[codes[starts[:, None] + np.arange(maxlen)]]
    y = np.eye(len(chars), dtype="float32")[codes[starts + maxlen]]
    model = lamina.Sequential([lamina.Input((maxlen, len(chars))), layers.LSTM(128),
                               layers.Dense(len(chars), activation="softmax")])
    model.compile(loss="categorical_crossentropy", optimizer=lamina.optimizers.RMSprop(0.01))
    show = lamina.text.SampleTextCallback(lambda: text[:maxlen], 20, char_indices, temperatures=(0.5,))
    history = model.fit(x, y, batch_size=128, epochs=1, callbacks=[show], verbose=0)
    assert np.isfinite(history.history["loss"][0])
    assert "----- temperature 0.5: " in capsys.readouterr().out
    generated = lamina.text.generate(model, text[:maxlen], 30, char_indices, temperature=0.5, seed=0)
    assert len(generated) == 30 and set(generated) <= set(chars)
