"""Text and category preprocessing layers (TextVectorization, CharacterVectorization, StringLookup,
IntegerLookup, Hashing, CategoryEncoding) against hand computations and Keras' documented outputs, and string
models end to end: fit, predict from raw strings, and a `.keras` round trip carrying the vocabulary."""

import math
import os
import zipfile

import numpy as np
import pytest

import lamina
from lamina import layers
from lamina.backend import SymbolicTensor, convert_to_numpy


def values(x):
    return np.asarray(convert_to_numpy(x)).tolist()


# -- vocabularies ----------------------------------------------------------------------------------
def test_adapt_orders_by_count_then_token_high_to_low(engine):
    """Keras' rule: count descending, ties by the token's sort order from high to low (not first appearance)."""
    layer = layers.StringLookup()
    layer.adapt(np.array([["b", "a", "c"], ["c", "a", "d"], ["e", "c", "z"]]))
    assert layer.get_vocabulary() == ["[UNK]", "c", "a", "z", "e", "d", "b"]
    assert layer.get_vocabulary(include_special_tokens=False) == ["c", "a", "z", "e", "d", "b"]
    assert layer.vocabulary_size() == 7


def test_max_tokens_keeps_the_most_frequent(engine):
    layer = layers.TextVectorization(max_tokens=4)
    layer.adapt(["x y y z z z", "w"])
    assert layer.get_vocabulary() == ["", "[UNK]", "z", "y"]


def test_mask_and_oov_indices(engine):
    layer = layers.StringLookup(vocabulary=["a", "b"], mask_token="", num_oov_indices=2)
    assert layer.get_vocabulary() == ["", "[UNK]", "[UNK]", "a", "b"]
    out = values(layer(np.array([["a", "", "b", "Hello"]])))
    # "Hello" goes to OOV index 1 + fingerprint64("Hello") % 2 (TensorFlow documents bucket 0 of 3 for it;
    # here with 2 buckets the hand value is from the same hash).
    from lamina.layers.preprocessing.fingerprint import fingerprint64
    assert out == [[3, 0, 4, 1 + fingerprint64(b"Hello") % 2]]


def test_integer_lookup_oov_floormod_mask_and_invert(engine):
    layer = layers.IntegerLookup(vocabulary=[12, 36, 1138], num_oov_indices=2, mask_token=0)
    assert values(layer(np.array([[12, 0, 7], [36, 1138, 8]]))) == [[3, 0, 2], [4, 5, 1]]  # 7 % 2 = 1, 8 % 2 = 0
    inverse = layers.IntegerLookup(vocabulary=[12, 36, 1138], invert=True)
    assert values(inverse(np.array([[1, 3, 0, 9]]))) == [[12, 1138, -1, -1]]


def test_string_lookup_invert_returns_strings(engine):
    layer = layers.StringLookup(vocabulary=["a", "b", "c"], invert=True)
    assert np.asarray(layer(np.array([[1, 3], [0, 2]]))).tolist() == [["a", "c"], ["[UNK]", "b"]]


def test_set_vocabulary_accepts_special_tokens_and_refuses_repeats(engine):
    layer = layers.StringLookup(mask_token="[MASK]")
    layer.set_vocabulary(["[MASK]", "[UNK]", "x", "y"])
    assert layer.get_vocabulary() == ["[MASK]", "[UNK]", "x", "y"]
    with pytest.raises(ValueError, match="repeated"):
        layer.set_vocabulary(["x", "x"])
    with pytest.raises(ValueError, match="adapt"):
        layers.StringLookup(vocabulary=["a"]).adapt(["a"])


@pytest.mark.parametrize("mode, expected", [
    ("one_hot", [[0, 1, 0, 0], [1, 0, 0, 0]]),
    ("multi_hot", [[0, 1, 0, 1], [1, 0, 1, 0]]),
    ("count", [[0, 2, 0, 1], [1, 0, 1, 0]]),
])
def test_lookup_encodings(engine, mode, expected):
    layer = layers.StringLookup(vocabulary=["a", "b", "c"], output_mode=mode)
    data = np.array([["a"], ["z"]]) if mode == "one_hot" else np.array([["a", "c", "a"], ["b", "q", "b"]])
    if mode == "multi_hot":
        expected = [[0, 1, 0, 1], [1, 0, 1, 0]]
    if mode == "count":
        expected = [[0, 2, 0, 1], [1, 0, 2, 0]]
    out = layer(data)
    assert values(out) == expected and str(out.dtype).endswith("float32")


def test_tf_idf_from_the_formula(engine):
    docs = ["a b b", "a c", "a"]
    layer = layers.TextVectorization(output_mode="tf_idf")
    layer.adapt(docs)
    assert layer.get_vocabulary() == ["[UNK]", "a", "b", "c"]  # no mask index outside int mode
    idf = {t: math.log(1 + 3 / (1 + df)) for t, df in {"a": 3, "b": 1, "c": 1}.items()}
    oov = (idf["a"] + idf["b"] + idf["c"]) / 3
    out = np.asarray(convert_to_numpy(layer(["b b zz a"])))
    np.testing.assert_allclose(out, [[oov, idf["a"], 2 * idf["b"], 0.0]], rtol=1e-6)


def test_tf_idf_with_given_weights(engine):
    layer = layers.StringLookup(vocabulary=["a", "b"], idf_weights=[0.5, 2.0], output_mode="tf_idf")
    np.testing.assert_allclose(convert_to_numpy(layer(np.array([["a", "b", "b", "q"]]))), [[1.25, 0.5, 4.0]])


# -- TextVectorization -----------------------------------------------------------------------------
def test_standardize_split_and_padding(engine):
    layer = layers.TextVectorization(vocabulary=["hello", "world"], output_sequence_length=4)
    assert values(layer(["Hello, World!", "hello there world again and again"])) == [[2, 3, 0, 0], [2, 1, 3, 1]]
    ragged = layers.TextVectorization(vocabulary=["hello", "world"])
    assert values(ragged(np.array([["Hello"], ["world hello world"]]))) == [[2, 0, 0], [3, 2, 3]]


@pytest.mark.parametrize("standardize, expected", [
    ("lower", ["a.b", "c!"]),
    ("strip_punctuation", ["AB", "c"]),
    ("lower_and_strip_punctuation", ["ab", "c"]),
    (None, ["A.B", "c!"]),
])
def test_standardize_modes(engine, standardize, expected):
    layer = layers.TextVectorization(standardize=standardize, split=None, vocabulary=["unused"])
    assert layer.standardize_texts(["A.B", "c!"]) == expected


def test_callables_character_split_and_ngrams(engine):
    layer = layers.TextVectorization(standardize=lambda s: np.char.upper(s.astype(str)), split="character",
                                     vocabulary=["A", "B", "A B"], ngrams=2)
    assert values(layer(["ab", "ba"])) == [[2, 3, 4], [3, 2, 1]]
    words = layers.TextVectorization(standardize=None, split=lambda s: [t.split("-") for t in s],
                                     vocabulary=["x", "y"])
    assert values(words(["x-y-z"])) == [[2, 3, 1]]
    grams = layers.TextVectorization(ngrams=(1, 3), output_mode="count", vocabulary=["a", "a b c", "b"])
    assert values(grams(["a b c d"])) == [[3, 1, 1, 1]]  # unknown: c, d and "b c d"


def test_symbolic_output_shapes(engine):
    inputs = SymbolicTensor((None, 1), "string")
    assert layers.TextVectorization(output_sequence_length=7)(inputs).shape == (None, 7)
    counts = layers.TextVectorization(max_tokens=10, pad_to_max_tokens=True, output_mode="count")(inputs)
    assert counts.shape == (None, 10) and counts.dtype == "float32"
    assert layers.Hashing(4)(inputs).dtype == "int64"


def test_bad_arguments_name_the_layer(engine):
    with pytest.raises(ValueError, match="standardize"):
        layers.TextVectorization(standardize="upper")
    with pytest.raises(ValueError, match="output_sequence_length"):
        layers.TextVectorization(output_mode="count", output_sequence_length=3)
    with pytest.raises(RuntimeError, match="vocabulary"):
        layers.TextVectorization(output_mode="multi_hot")(["a"])
    with pytest.raises(ValueError, match="padding"):
        layers.CharacterVectorization(padding="middle")


def test_config_round_trip_keeps_callables_and_ngrams(engine):
    layer = layers.TextVectorization(max_tokens=9, ngrams=(1, 2), output_mode="multi_hot", pad_to_max_tokens=True,
                                     vocabulary=["a", "b"])
    clone = layers.TextVectorization.from_config(layer.get_config())
    assert clone.get_config() == layer.get_config() and clone.get_vocabulary() == layer.get_vocabulary()
    assert values(clone(["a b"])) == values(layer(["a b"]))
    keys = {"max_tokens", "standardize", "split", "ngrams", "output_mode", "output_sequence_length",
            "pad_to_max_tokens", "sparse", "ragged", "vocabulary", "idf_weights", "encoding", "vocabulary_size"}
    assert keys <= set(layer.get_config())


# -- the character pipeline (beyond Keras) ---------------------------------------------------------
def test_character_pipeline_by_hand(engine):
    layer = layers.CharacterVectorization(output_sequence_length=8, allowed_characters="abc ", start_token="<s>",
                                          end_token="</s>")
    layer.adapt(["abba", "c a"])
    # counts: a 3, b 2, <s> 2, </s> 2, c 1, " " 1 -> ties high to low ("<s>" > "</s>" and "c" > " ")
    assert layer.get_vocabulary() == ["", "[UNK]", "a", "b", "<s>", "</s>", "c", " "]
    out = values(layer(["  ABZ\tc!!", "abcabcabcabc"]))
    # "  ABZ\tc!!" -> "  ab \tc  " -> "ab c" -> <s> a b " " c </s>, pre-padded to 8
    assert out[0] == [0, 0, 4, 2, 3, 7, 6, 5]
    # 14 tokens, the first 6 cut (truncating="pre"): the last 8 are "cabcabc" and the end marker
    assert out[1] == [6, 2, 3, 6, 2, 3, 6, 5]
    post = layers.CharacterVectorization(output_sequence_length=4, padding="post", truncating="post",
                                         vocabulary=["a", "b"], lower=False, collapse_whitespace=False)
    assert values(post(["A", "abab ba"])) == [[1, 0, 0, 0], [2, 3, 2, 3]]


# -- Hashing and CategoryEncoding ------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, data, expected", [  # the outputs Keras documents for Hashing
    (dict(num_bins=3), ["A", "B", "C", "D", "E"], [1, 0, 1, 1, 2]),
    (dict(num_bins=3, mask_value=""), ["A", "B", "", "C", "D"], [1, 1, 0, 2, 2]),
    (dict(num_bins=3, salt=[133, 137]), ["A", "B", "C", "D", "E"], [1, 2, 1, 0, 2]),
    (dict(num_bins=3, salt=133), ["A", "B", "C", "D", "E"], [0, 0, 2, 1, 0]),
])
def test_hashing_matches_keras_documented_bins(engine, kwargs, data, expected):
    out = layers.Hashing(**kwargs)(np.array(data).reshape(-1, 1))
    assert np.asarray(convert_to_numpy(out)).ravel().tolist() == expected


def test_hashing_integers_hash_their_text_and_encode(engine):
    ints = layers.Hashing(num_bins=7)(np.array([[5, 12]]))
    text = layers.Hashing(num_bins=7)(np.array([["5", "12"]]))
    assert values(ints) == values(text)
    hot = layers.Hashing(num_bins=7, output_mode="multi_hot")(np.array([["5", "12"]]))
    expected = np.zeros((1, 7))
    expected[0, values(text)[0]] = 1
    np.testing.assert_array_equal(convert_to_numpy(hot), expected)


def test_category_encoding_against_numpy(engine, rng):
    x = rng.integers(0, 5, (6, 3))
    weights = rng.random((6, 3)).astype("float32")
    counts = np.zeros((6, 5), "float32")
    weighted = np.zeros((6, 5), "float32")
    for i in range(6):
        for j in range(3):
            counts[i, x[i, j]] += 1
            weighted[i, x[i, j]] += weights[i, j]
    np.testing.assert_array_equal(convert_to_numpy(layers.CategoryEncoding(5, "count")(x)), counts)
    np.testing.assert_array_equal(convert_to_numpy(layers.CategoryEncoding(5, "multi_hot")(x)), counts > 0)
    np.testing.assert_allclose(convert_to_numpy(layers.CategoryEncoding(5, "count")(x, count_weights=weights)),
                               weighted, rtol=1e-6)
    np.testing.assert_array_equal(convert_to_numpy(layers.CategoryEncoding(5, "one_hot")(x[:, :1])), np.eye(5)[x[:, 0]])


# -- string models: fit, predict, save and load ----------------------------------------------------
TEXTS = np.array(["good movie", "bad movie", "great film", "awful film", "good good fun", "bad bad plot"] * 4)
LABELS = np.array([1, 0, 1, 0, 1, 0] * 4, "float32")


def _text_model():
    vectorizer = layers.TextVectorization(max_tokens=20, output_sequence_length=4)
    vectorizer.adapt(TEXTS)
    inputs = lamina.Input((1,), dtype="string")
    x = layers.Embedding(20, 8)(vectorizer(inputs))
    outputs = layers.Dense(1, activation="sigmoid")(layers.GlobalAveragePooling1D()(x))
    model = lamina.Model(inputs, outputs)
    model.compile(optimizer=lamina.optimizers.Adam(0.05), loss="binary_crossentropy", metrics=["accuracy"])
    return model


def test_string_model_trains_and_predicts_from_raw_strings(engine, tmp_path):
    model = _text_model()
    history = model.fit(TEXTS, LABELS, epochs=15, batch_size=8, shuffle=True, verbose=0,
                        validation_data=(TEXTS[:6], LABELS[:6]))
    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    assert history.history["accuracy"][-1] == 1.0
    predicted = model.predict(["good fun", "bad plot"], verbose=0).ravel()
    assert predicted[0] > 0.5 > predicted[1]
    assert model.evaluate(TEXTS, LABELS, verbose=0)[1] == 1.0
    path = os.path.join(tmp_path, "text.keras")
    model.save(path)
    with zipfile.ZipFile(path) as archive:  # Keras reads the vocabulary of its inner StringLookup too
        for folder in ("text_vectorization", "text_vectorization/_lookup_layer"):
            vocabulary = archive.read(f"assets/layers/{folder}/vocabulary.txt").decode()
            assert vocabulary.split("\n") == model.layers[1].get_vocabulary()
    restored = lamina.saving.load_model(path)
    assert restored.layers[1].get_vocabulary() == model.layers[1].get_vocabulary()
    np.testing.assert_allclose(restored.predict(np.array(["good fun", "bad plot"]), verbose=0).ravel(), predicted,
                               rtol=1e-5)


class _VectorizingModel(lamina.Model):
    """A subclassed model with its string layer inside ``call``."""

    def __init__(self):
        super().__init__()
        self.vectorize = layers.TextVectorization(output_mode="multi_hot", vocabulary=["good", "bad", "fun"])
        self.score = layers.Dense(1, kernel_initializer="ones")

    def call(self, x):
        return self.score(self.vectorize(x))


def _two_readers_model():
    """Two string layers reading the same input."""
    inputs = lamina.Input((), dtype="string")
    words = layers.TextVectorization(output_mode="multi_hot", vocabulary=["good", "bad"])(inputs)
    counts = layers.TextVectorization(output_mode="count", vocabulary=["fun", "plot"])(inputs)
    return lamina.Model(inputs, layers.Dense(1, kernel_initializer="ones")(layers.Concatenate()([words, counts])))


@pytest.mark.parametrize("build", [_VectorizingModel, _two_readers_model], ids=["subclassed", "two_readers"])
def test_string_layers_inside_a_model(engine, build):
    """A string layer that is not its input's only reader runs in torch's eager steps, giving the encoded
    numbers (here: the token counts, through a Dense of ones); JAX's traced steps refuse, naming the layers."""
    texts = np.array(["good fun fun", "bad plot", "good"], dtype=object)
    model = build()
    model.compile(optimizer="sgd", loss="mse")
    # OOV tokens count at index 0: multi-hot [UNK, good, bad, fun] gives 2, 2, 1; the two readers give
    # multi-hot [UNK, good, bad] (2, 2, 1) plus counts [UNK, fun, plot] (3, 2, 1).
    expected = {"_VectorizingModel": [2, 2, 1], "_two_readers_model": [5, 4, 2]}[build.__name__]
    np.testing.assert_allclose(convert_to_numpy(model(texts)).ravel(), expected)
    if engine == "jax":
        with pytest.raises(TypeError, match=r"strings into its compiled jax step.*text_vectorization"):
            model.predict(texts, verbose=0)
        with pytest.raises(TypeError, match=r"strings into its compiled jax step"):
            model.fit(texts, np.zeros((3, 1), "float32"), verbose=0)
        return
    np.testing.assert_allclose(model.predict(texts, verbose=0).ravel(), expected)
    target = np.zeros((3, 1), "float32")
    np.testing.assert_allclose(model.evaluate(texts, target, verbose=0), np.mean(np.square(expected)), rtol=1e-6)
    history = model.fit(texts, target, epochs=3, batch_size=3, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_sequential_lookup_model_and_on_batch_methods(engine):
    model = lamina.Sequential([lamina.Input((1,), dtype="string"),
                               layers.StringLookup(vocabulary=["a", "b"], output_mode="one_hot"),
                               layers.Dense(1, kernel_initializer="ones")])
    model.compile(optimizer="sgd", loss="mse")
    x = np.array([["a"], ["b"], ["c"]])
    np.testing.assert_allclose(model.predict_on_batch(x).ravel(), [1, 1, 1])
    loss = model.train_on_batch(x, np.zeros((3, 1), "float32"))
    assert np.isfinite(loss) and np.isfinite(model.test_on_batch(x, np.zeros((3, 1), "float32")))


def test_numeric_model_refuses_strings(engine):
    model = lamina.Sequential([lamina.Input((1,)), layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    with pytest.raises(TypeError, match="holds strings"):
        model.fit(np.array([["a"], ["b"]]), np.zeros((2, 1)), verbose=0)
    with pytest.raises(TypeError, match="holds strings"):
        model.predict(np.array([["a"]]), verbose=0)


@pytest.mark.parametrize("layer_class", ["TextVectorization", "StringLookup"])
def test_tf_idf_weights_survive_a_keras_file_in_keras_layout(engine, tmp_path, layer_class):
    """An adapted tf-idf layer's idf weights (not Variables) are stored as Keras 3.15 stores them (its
    ``save_own_variables``): dataset ``idf_weights`` of the layer's ``vars`` group in ``model.weights.h5``."""
    import h5py

    texts = np.array([["the cat sat"], ["the dog"], ["a cat, the end!"]], dtype=object)
    if layer_class == "TextVectorization":
        lookup = layers.TextVectorization(output_mode="tf_idf")
        lookup.adapt(texts)
    else:
        texts = np.array([["the", "cat"], ["the", "dog"], ["a", "cat"]])
        lookup = layers.StringLookup(output_mode="tf_idf")
        lookup.adapt(texts)
    inputs = lamina.Input(texts.shape[1:], dtype="string")
    model = lamina.Model(inputs, layers.Dense(2)(lookup(inputs)))
    expected, encoded = model.predict(texts, verbose=0), convert_to_numpy(lookup(texts))
    path = os.path.join(tmp_path, "tf_idf.keras")
    model.save(path)
    with zipfile.ZipFile(path) as archive:
        archive.extract("model.weights.h5", tmp_path)
    group_path = "layers/" + {"TextVectorization": "text_vectorization", "StringLookup": "string_lookup"}[layer_class]
    inner = [f"{group_path}/_lookup_layer/vars"] if layer_class == "TextVectorization" else []
    with h5py.File(os.path.join(tmp_path, "model.weights.h5"), "r") as h5file:
        for group in [h5file[f"{group_path}/vars"]] + [h5file[name] for name in inner]:
            assert list(group) == ["idf_weights"] and group.attrs["name"] == lookup.name
            np.testing.assert_array_equal(group["idf_weights"][()], lookup.idf_weights)
        if not inner:
            assert "_lookup_layer" not in h5file[group_path]
    restored = lamina.saving.load_model(path)
    restored_lookup = restored.layers[1]
    np.testing.assert_array_equal(restored_lookup.idf_weights, lookup.idf_weights)
    np.testing.assert_array_equal(convert_to_numpy(restored_lookup(texts)), encoded)
    np.testing.assert_array_equal(restored.predict(texts, verbose=0), expected)


def test_tf_idf_weights_that_do_not_fit_the_vocabulary_are_refused(engine, tmp_path):
    """The idf entry is checked like a Variable: a file whose idf weights have another length than the
    layer's vocabulary needs is refused, naming the layer."""
    small, large = (layers.StringLookup(vocabulary=list(v), idf_weights=[1.0] * len(v), output_mode="tf_idf")
                    for v in ("ab", "abc"))
    models = [lamina.Sequential([lamina.Input((2,), dtype="string"), layer]) for layer in (small, large)]
    path = os.path.join(tmp_path, "idf.weights.h5")
    models[0].save_weights(path)
    with pytest.raises(ValueError, match=r"string_lookup.*idf_weights.*\(4,\).*\(3,\)"):
        models[1].load_weights(path)


def test_lookup_oov_method_and_salt_hash_as_keras_hashing(engine):
    """Keras' rule for several OOV indices: integers take ``value % n`` (``oov_method="floormod"``) or, with
    ``"farmhash"``, the hash of their text; strings are always hashed, with SipHash keyed by ``salt`` when
    given: the bins of ``Hashing`` with the same ``num_bins`` and ``salt``, after the special indices."""
    words, numbers = np.array([["x", "y", "zz", "a"]]), np.array([[7, 8, 1000, 12]])  # OOV indices are 0..2
    for salt in (None, 5):
        lookup = layers.StringLookup(vocabulary=["a"], num_oov_indices=3, salt=salt)
        assert values(lookup(words)) == [values(layers.Hashing(3, salt=salt)(words[0, :3])) + [3]]
    farmhash = layers.IntegerLookup(vocabulary=[12], num_oov_indices=3, oov_method="farmhash", salt=[1, 2])
    assert values(farmhash(numbers)) == [values(layers.Hashing(3, salt=[1, 2])(numbers[0, :3])) + [3]]
    assert values(layers.IntegerLookup(vocabulary=[12], num_oov_indices=3)(numbers)) == [[1, 2, 1, 3]]
    assert layers.IntegerLookup(num_oov_indices=2, oov_method="farmhash", salt=3).get_config()["salt"] == [3, 3]
    with pytest.raises(ValueError, match="salt.*farmhash"):
        layers.IntegerLookup(salt=3)


def test_hashing_dtype_policy_is_its_output_dtype(engine):
    assert layers.Hashing(3).dtype_policy.name == "int64"
    assert str(convert_to_numpy(layers.Hashing(3, dtype="int32")([["a"]])).dtype) == "int32"
    assert layers.Hashing(3, output_mode="one_hot").dtype_policy.name == "float32"
    with pytest.raises(ValueError, match="Hashing must be 'int32' or 'int64'"):
        layers.Hashing(3, dtype="float32")
