"""Character-level text generation with an LSTM, the classic Nietzsche example.

The model learns the next character from the 40 before it (one-hot encoded): LSTM(128, dropout=0.2,
recurrent_dropout=0.2) -> Dense(len(chars), softmax), trained with RMSprop on categorical crossentropy.
``lamina.text.SampleTextCallback`` prints continuations of a seed after chosen epochs at several
temperatures (low: safe and repetitive; high: inventive and misspelt), and ``lamina.text.generate`` writes
the final samples. The full run trains on the first 300,000 characters (half the book) for 10 epochs, to
keep it to minutes on a CPU and the one-hot arrays under 1 GB (Keras' example uses the whole book).

Run: python examples/char_lstm_generator.py [--smoke]
"""

import numpy as np
import text_data

import lamina as keras
from lamina import layers

SMOKE = text_data.smoke_mode()
MAXLEN, STEP = 40, 3
CORPUS = 3_000 if SMOKE else 300_000
EPOCHS = 1 if SMOKE else 10

keras.utils.set_random_seed(42)
text = text_data.data_file("nietzsche.txt").read_text(encoding="utf-8").lower()
print(f"Corpus length: {len(text)} characters, training on the first {min(CORPUS, len(text))}")
text = text[:CORPUS]
chars = sorted(set(text))
char_indices = {c: i for i, c in enumerate(chars)}
print(f"Total chars: {len(chars)}")

# Windows of MAXLEN characters every STEP characters, each followed by the character to predict.
codes = np.array([char_indices[c] for c in text])
starts = np.arange(0, len(text) - MAXLEN, STEP)
x = np.eye(len(chars), dtype="float32")[codes[starts[:, None] + np.arange(MAXLEN)]]
y = np.eye(len(chars), dtype="float32")[codes[starts + MAXLEN]]
print(f"Number of sequences: {len(x)}, x {x.shape}, y {y.shape}")

model = keras.Sequential([
    keras.Input(shape=(MAXLEN, len(chars))),
    layers.LSTM(128, dropout=0.2, recurrent_dropout=0.2),
    layers.Dense(len(chars), activation="softmax"),
], name="char_lstm_generator")
model.summary()
model.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.RMSprop(learning_rate=0.01))

rng = np.random.default_rng(0)
seed_text = lambda: text[(i := int(rng.integers(len(text) - MAXLEN))):i + MAXLEN]  # noqa: E731
samples = keras.text.SampleTextCallback(seed_text, 10 if SMOKE else 200, char_indices,
                                        temperatures=(0.2, 0.5, 1.0), every=[EPOCHS] if SMOKE else 5)
history = model.fit(x, y, batch_size=128, epochs=EPOCHS, callbacks=[samples], verbose=2)

seed = text[:MAXLEN]
print(f"\nAfter {EPOCHS} epochs, seed {seed!r}:")
for temperature in (0.2, 0.5, 1.0):
    generated = keras.text.generate(model, seed, 20 if SMOKE else 300, char_indices, temperature=temperature,
                                    seed=0)
    print(f"  temperature {temperature}: {generated!r}")
print(f"Final training loss: {history.history['loss'][-1]:.4f}")
