"""Text generation: sample from a model's next-token distribution, generate from a seed, watch it learn.

String preprocessing (``TextVectorization``, ``StringLookup``) lives with the layers; this package is the
other end of a text model. The classic char-LSTM generator on Nietzsche, in a dozen lines (it needs the text,
so the example is not run as a doctest):

    >>> import lamina as keras  # doctest: +SKIP
    >>> text = open("nietzsche.txt", encoding="utf-8").read().lower()  # doctest: +SKIP
    >>> chars = sorted(set(text)); char_indices = {c: i for i, c in enumerate(chars)}  # doctest: +SKIP
    >>> maxlen, step = 40, 3  # doctest: +SKIP
    >>> starts = np.arange(0, len(text) - maxlen, step)  # doctest: +SKIP
    >>> codes = np.array([char_indices[c] for c in text])  # doctest: +SKIP
    >>> x = np.eye(len(chars), dtype="float32")[codes[starts[:, None] + np.arange(maxlen)]]  # doctest: +SKIP
    >>> y = np.eye(len(chars), dtype="float32")[codes[starts + maxlen]]  # doctest: +SKIP
    >>> model = keras.Sequential([keras.Input((maxlen, len(chars))), keras.layers.LSTM(128),
    ...                           keras.layers.Dense(len(chars), activation="softmax")])  # doctest: +SKIP
    >>> model.compile(loss="categorical_crossentropy", optimizer=keras.optimizers.RMSprop(0.01))  # doctest: +SKIP
    >>> show = keras.text.SampleTextCallback(lambda: text[:maxlen], 400, char_indices)  # doctest: +SKIP
    >>> model.fit(x, y, batch_size=128, epochs=20, callbacks=[show])  # doctest: +SKIP
    >>> keras.text.generate(model, text[:maxlen], 400, char_indices, temperature=0.5)  # doctest: +SKIP
"""

from lamina.text.generation import generate
from lamina.text.sample_text_callback import SampleTextCallback
from lamina.text.sampling import sample

__all__ = ["SampleTextCallback", "generate", "sample"]
