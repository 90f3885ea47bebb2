"""IndexLookup: the vocabulary machinery shared by StringLookup, IntegerLookup and TextVectorization.

Index layout, as Keras: ``[mask][OOV x num_oov_indices][tokens...]`` — the mask index 0 exists only when a
mask token is set and ``output_mode="int"``. ``adapt`` orders tokens by count, ties broken by the token's
sort order, high to low (Keras' rule); tf-idf weights are ``log(1 + documents / (1 + document count))``,
the special indices getting their mean. The vocabulary of an adapted layer is saved as the asset
``vocabulary.txt`` (one token a line, special tokens included), as Keras writes it.
"""

from __future__ import annotations

import collections
import math
import os

import numpy as np

from lamina import backend
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.preprocessing.fingerprint import hash_buckets, siphash24
from lamina.layers.preprocessing.host_encoding import encode_indices, encoded_shape
from lamina.layers.preprocessing.host_layer import HostLayer, to_host

OUTPUT_MODES = ("int", "one_hot", "multi_hot", "count", "tf_idf")
_ASSET = "vocabulary.txt"


def check_output_mode(output_mode, layer: str) -> str:
    output_mode = {"binary": "multi_hot", "tf-idf": "tf_idf"}.get(output_mode, output_mode)
    if output_mode not in OUTPUT_MODES:
        raise ValueError(f"Invalid value for argument `output_mode` of {layer}. Expected one of "
                         f"{list(OUTPUT_MODES)}. Received: output_mode={output_mode!r}")
    return output_mode


def _listify(value):
    return value.tolist() if isinstance(value, np.ndarray) else list(value) if isinstance(value, tuple) else value


class IndexLookup(HostLayer):
    """Maps tokens to indices (or back, with ``invert=True``) and encodes them per ``output_mode``."""

    def __init__(self, max_tokens=None, num_oov_indices=1, mask_token=None, oov_token=None, vocabulary=None,
                 idf_weights=None, invert=False, output_mode="int", sparse=False, pad_to_max_tokens=False,
                 vocabulary_dtype="string", oov_method="floormod", salt=None, **kwargs):
        kwargs.pop("vocabulary_size", None)
        kwargs.pop("has_input_vocabulary", None)
        kwargs.pop("dtype", None)
        super().__init__(**kwargs)
        name = type(self).__name__
        if max_tokens is not None and max_tokens <= 1:
            raise ValueError(f"Invalid value for argument `max_tokens` of {name}. Expected None or an int > 1. "
                             f"Received: max_tokens={max_tokens}")
        if pad_to_max_tokens and max_tokens is None:
            raise ValueError(f"Invalid value for argument `pad_to_max_tokens` of {name}: it needs `max_tokens`. "
                             f"Received: pad_to_max_tokens=True, max_tokens=None")
        if not isinstance(num_oov_indices, int) or num_oov_indices < 0:
            raise ValueError(f"Invalid value for argument `num_oov_indices` of {name}. Expected an int >= 0. "
                             f"Received: num_oov_indices={num_oov_indices!r}")
        if oov_method not in ("floormod", "farmhash"):
            raise ValueError(f"Invalid value for argument `oov_method` of {name}. Expected 'floormod' or "
                             f"'farmhash'. Received: oov_method={oov_method!r}")
        if salt is not None:
            if vocabulary_dtype != "string" and oov_method != "farmhash":
                raise ValueError(f"`salt` can only be used when `oov_method='farmhash'`. Received: "
                                 f"oov_method={oov_method!r}")
            if not (isinstance(salt, int) or (isinstance(salt, (list, tuple)) and len(salt) == 2)):
                raise ValueError(f"The `salt` argument for {name} can only be a tuple of 2 integers, or a single "
                                 f"integer. Received: salt={salt}.")
        if sparse:
            raise ValueError(f"`sparse=True` is not supported by {name} in lamina (no sparse tensors on its "
                             "engines). Received: sparse=True")
        self.output_mode = check_output_mode(output_mode, name)
        if invert and self.output_mode != "int":
            raise ValueError(f"`output_mode` must be 'int' when `invert=True` in {name}. "
                             f"Received: output_mode={output_mode!r}")
        if idf_weights is not None and self.output_mode != "tf_idf":
            raise ValueError(f"`idf_weights` should only be set if `output_mode` is 'tf_idf'. "
                             f"Received: idf_weights={idf_weights} and output_mode={output_mode!r}")
        self.max_tokens = max_tokens
        self.num_oov_indices = num_oov_indices
        self.mask_token = mask_token
        self.oov_token = oov_token
        self.invert = invert
        self.sparse = sparse
        self.pad_to_max_tokens = pad_to_max_tokens
        self.vocabulary_dtype = vocabulary_dtype
        self.oov_method = oov_method
        self.salt = None if salt is None else [salt, salt] if isinstance(salt, int) else list(salt)
        self.input_vocabulary = _listify(vocabulary)
        self.input_idf_weights = _listify(idf_weights)
        self._tokens: list = []
        self._index: dict = {}
        self.idf_weights = None
        if vocabulary is not None:
            if isinstance(vocabulary, str):
                self.input_vocabulary = vocabulary
            self.set_vocabulary(vocabulary, idf_weights)
        elif self.output_mode == "tf_idf" and idf_weights is not None:
            raise ValueError("`idf_weights` needs a `vocabulary` to go with it.")

    # -- indices -----------------------------------------------------------------------------------
    def _oov_start_index(self) -> int:
        return 1 if self.mask_token is not None and self.output_mode == "int" else 0

    def _token_start_index(self) -> int:
        return self._oov_start_index() + self.num_oov_indices

    def vocabulary_size(self) -> int:
        """The vocabulary's size, special indices included."""
        return self._token_start_index() + len(self._tokens)

    def get_vocabulary(self, include_special_tokens: bool = True) -> list:
        """The tokens in index order (with the mask and OOV tokens first unless ``include_special_tokens`` is
        False)."""
        special = ([self.mask_token] if self._oov_start_index() else []) + [self.oov_token] * self.num_oov_indices
        return (special if include_special_tokens else []) + list(self._tokens)

    def _cast_token(self, token):
        return str(token) if self.vocabulary_dtype == "string" else int(token)

    def set_vocabulary(self, vocabulary, idf_weights=None) -> None:
        """Set the vocabulary (a list/array, or a text file path, one token a line) and, for ``tf_idf``, the
        idf weights."""
        if self.output_mode == "tf_idf" and idf_weights is None:
            raise ValueError("`idf_weights` must be set if output_mode is 'tf_idf'.")
        if self.output_mode != "tf_idf" and idf_weights is not None:
            raise ValueError(f"`idf_weights` should only be set if output_mode is 'tf_idf'. Received: "
                             f"output_mode={self.output_mode} and idf_weights={idf_weights}")
        if isinstance(vocabulary, str):
            from lamina.serialization import in_safe_mode

            if in_safe_mode():
                raise ValueError("Requested the loading of a vocabulary file outside of the model archive; this is "
                                 "disallowed in safe mode (pass `safe_mode=False` for files you trust). "
                                 f"Vocabulary file: '{vocabulary}'")
            if not os.path.exists(vocabulary):
                raise ValueError(f"Vocabulary file {vocabulary} does not exist.")
            with open(vocabulary, encoding="utf-8") as handle:
                vocabulary = handle.read().splitlines()
            while vocabulary and vocabulary[-1] == "":
                vocabulary.pop()
        tokens = [self._cast_token(t) for t in to_host(vocabulary).reshape(-1).tolist()]
        if not tokens:
            raise ValueError(f"Cannot set an empty vocabulary. Received: vocabulary={vocabulary}")
        start = self._token_start_index()
        special = self.get_vocabulary()[:start]
        found_special = tokens[:start] == special
        if found_special:
            tokens = tokens[start:]
        repeated = [t for t, c in collections.Counter(tokens).items() if c > 1]
        if repeated:
            raise ValueError("The passed vocabulary has at least one repeated term. Please uniquify your dataset. "
                             f"The repeated terms are: {repeated}")
        reserved = [(n, t) for n, t in (("mask_token", self.mask_token),
                                        ("oov_token", self.oov_token if self.invert else None))
                    if t is not None and t in tokens]
        if reserved:
            raise ValueError(f"Found reserved {reserved[0][0]} {reserved[0][1]!r} at an unexpected location in "
                             f"`vocabulary`: include special tokens only at its start, in this order: {special}.")
        if self.max_tokens is not None and start + len(tokens) > self.max_tokens:
            raise ValueError("Attempted to set a vocabulary larger than the maximum vocab size. Received vocabulary "
                             f"size is {start + len(tokens)}; `max_tokens` is {self.max_tokens}.")
        self._tokens = tokens
        self._index = {t: i for i, t in enumerate(tokens, start)}
        if idf_weights is not None:
            weights = np.asarray(idf_weights, dtype="float64").reshape(-1)
            if len(weights) != len(tokens) + (start if found_special else 0):
                raise ValueError(f"`idf_weights` must be the same length as vocabulary. len(idf_weights) is "
                                 f"{len(weights)}; len(vocabulary) is {len(tokens)}")
            if not found_special:
                weights = np.concatenate([np.full(start, weights.mean()), weights])
            self._set_idf(weights)

    def _set_idf(self, weights: np.ndarray) -> None:
        if self.pad_to_max_tokens and self.max_tokens is not None:
            weights = np.pad(weights, (0, self.max_tokens - len(weights)))
        self.idf_weights = weights.astype(backend.floatx())

    # -- adapt -------------------------------------------------------------------------------------
    def adapt(self, data, steps=None) -> None:
        """Learn the vocabulary (and document frequencies for ``tf_idf``) from ``data``: an array or list of
        tokens (rows are documents), or an iterable of such batches."""
        if self.input_vocabulary is not None:
            raise ValueError(f"Cannot adapt layer '{self.name}' after setting a static vocabulary via the "
                             "`vocabulary` argument or `set_vocabulary()`.")
        counts, document_counts = collections.Counter(), collections.Counter()
        documents = 0
        for batch in _batches(data, steps):
            for row in self._token_rows(batch):
                counts.update(row)
                if self.output_mode == "tf_idf":
                    document_counts.update(set(row))
                    documents += 1
        for special in (self.mask_token, self.oov_token):
            counts.pop(special, None)
        ordered = sorted(counts.items(), key=lambda item: (item[1], item[0]), reverse=True)
        if self.max_tokens:
            ordered = ordered[:self.max_tokens - self._token_start_index()]
        self._tokens = [token for token, _ in ordered]
        self._index = {t: i for i, t in enumerate(self._tokens, self._token_start_index())}
        if self.output_mode == "tf_idf":
            idf = np.array([math.log(1 + documents / (1 + document_counts[t])) for t in self._tokens])
            mean = idf.mean() if len(idf) else 0.0
            self._set_idf(np.concatenate([np.full(self._token_start_index(), mean), idf]))

    def _token_rows(self, batch):
        """One list of tokens per document of ``batch``."""
        array = to_host(batch)
        if array.ndim <= 1:
            return [array.reshape(-1).tolist()]
        return [row.reshape(-1).tolist() for row in array]

    # -- lookup ------------------------------------------------------------------------------------
    def lookup_flat(self, tokens: list) -> np.ndarray:
        """Indices of a flat list of tokens (OOV hashed into the OOV range, the mask to 0 in int mode or
        dropped later as -1 otherwise)."""
        oov = self._oov_start_index() if self.num_oov_indices == 1 else -1
        get = self._index.get
        indices = np.fromiter((get(t, oov) for t in tokens), dtype="int64", count=len(tokens))
        if self.mask_token is not None:
            mask = np.fromiter((t == self.mask_token for t in tokens), dtype=bool, count=len(tokens))
            indices[mask] = 0 if self.output_mode == "int" else -2
        if self.num_oov_indices == 0 and (indices == -1).any():
            unknown = [t for t, i in zip(tokens, indices) if i == -1]
            raise ValueError("When `num_oov_indices=0` all inputs should be in vocabulary, found OOV values "
                             f"{unknown[:10]}, consider setting `num_oov_indices=1`.")
        if self.num_oov_indices > 1:
            where = np.flatnonzero(indices == -1)
            missing = [tokens[i] for i in where]
            if self.vocabulary_dtype != "string" and self.oov_method == "floormod":
                buckets = np.mod(np.array(missing, dtype="int64"), self.num_oov_indices)
            elif self.salt is not None:  # Keras' strong hash (SipHash keyed by the salt) of the token's text
                buckets = np.array([siphash24(self.salt, str(t).encode("utf-8")) % self.num_oov_indices
                                    for t in missing], dtype="int64")
            else:  # Keras' fast hash (FarmHash Fingerprint64) of the token's text
                buckets = np.array(hash_buckets(missing, self.num_oov_indices), dtype="int64")
            indices[where] = buckets + self._oov_start_index()
        return indices

    def _check_vocabulary_known(self) -> None:
        if self.output_mode != "int" and not self.pad_to_max_tokens and not self._tokens:
            raise RuntimeError(f"When using `output_mode={self.output_mode}` and `pad_to_max_tokens=False`, you "
                               "must set the layer's vocabulary before calling it. Either pass a `vocabulary` "
                               "argument to the layer, or call `adapt` with some sample data.")

    def _depth(self) -> int:
        return self.max_tokens if self.pad_to_max_tokens else self.vocabulary_size()

    def encode(self, indices: np.ndarray) -> np.ndarray:
        """Indices encoded per ``output_mode`` (``int``: unchanged)."""
        if self.output_mode == "int":
            return indices
        encoded = encode_indices(indices, self.output_mode if self.output_mode != "tf_idf" else "count",
                                 self._depth(), backend.floatx())
        if self.output_mode == "tf_idf":
            encoded = encoded * self.idf_weights
        return encoded.astype(backend.floatx())

    def host_call(self, array: np.ndarray) -> np.ndarray:
        self._check_vocabulary_known()
        flat = array.reshape(-1).tolist()
        if self.invert:
            vocabulary = self.get_vocabulary()
            size = len(vocabulary)
            values = [vocabulary[i] if 0 <= i < size else self.oov_token for i in flat]
            out = np.array(values, dtype=object).reshape(array.shape)
            return out if self.vocabulary_dtype == "string" else out.astype("int64")
        indices = self.lookup_flat([self._cast_token(t) for t in flat]).reshape(array.shape)
        return self.encode(indices)

    def call(self, inputs):
        if self.invert and self.vocabulary_dtype == "string" and not isinstance(inputs, SymbolicTensor):
            return self.host_call(to_host(inputs))  # strings stay a NumPy array: engines hold no strings
        return super().call(inputs)

    @property
    def output_dtype(self) -> str:
        if self.output_mode != "int":
            return backend.floatx()
        return self.vocabulary_dtype if self.invert else "int64"

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        return encoded_shape(tuple(input_shape), self.output_mode, self._depth() if self._tokens or
                             self.pad_to_max_tokens else None)

    # -- config and assets -------------------------------------------------------------------------
    def get_config(self) -> dict:
        config = super().get_config()
        config.update({
            "invert": self.invert, "max_tokens": self.max_tokens, "num_oov_indices": self.num_oov_indices,
            "oov_token": self.oov_token, "mask_token": self.mask_token, "output_mode": self.output_mode,
            "sparse": self.sparse, "pad_to_max_tokens": self.pad_to_max_tokens,
            "vocabulary_dtype": self.vocabulary_dtype, "idf_weights": self.input_idf_weights,
            "vocabulary": self.input_vocabulary,
            "vocabulary_size": self.vocabulary_size() if self._tokens else None,
            "oov_method": self.oov_method, "salt": self.salt,
        })
        return config

    def save_assets(self, dir_path: str) -> None:
        """Write ``vocabulary.txt`` (an adapted vocabulary; a given one is in the config), as Keras does."""
        if self.input_vocabulary is not None:
            return
        with open(os.path.join(dir_path, _ASSET), "w", encoding="utf-8") as handle:
            handle.write("\n".join(str(token) for token in self.get_vocabulary()))

    def load_assets(self, dir_path: str) -> None:
        if self.input_vocabulary is not None:
            return
        with open(os.path.join(dir_path, _ASSET), encoding="utf-8") as handle:
            lines = handle.read().splitlines()
        while lines and lines[-1] == "":
            lines.pop()
        if lines:
            idf = self.idf_weights
            self._set_vocabulary_from_asset(lines)
            self.idf_weights = idf

    def _set_vocabulary_from_asset(self, lines: list) -> None:
        tokens = [self._cast_token(line) for line in lines][self._token_start_index():]
        self._tokens = tokens
        self._index = {t: i for i, t in enumerate(tokens, self._token_start_index())}

    def _weights_file_entries(self) -> list:
        """The weights file holds a tf-idf layer's idf weights (a NumPy array, not a Variable) at the slot
        ``idf_weights`` of its ``vars`` group, as Keras stores them; other modes store nothing. An unadapted
        layer (no vocabulary yet) stores nothing; one whose vocabulary came from its asset expects them."""
        if self.output_mode != "tf_idf" or (self.idf_weights is None and not self._tokens):
            return []
        return [("idf_weights", _IdfWeights(self), self.idf_weights)]


class _IdfWeights:
    """The target of the ``idf_weights`` entry: the shape the layer's vocabulary needs, and ``assign``."""

    name = "idf_weights"

    def __init__(self, layer: IndexLookup):
        self._layer = layer

    @property
    def shape(self) -> tuple:
        return (self._layer._depth(),)

    def assign(self, value) -> None:
        self._layer.idf_weights = np.asarray(value, dtype=backend.floatx())


def _batches(data, steps):
    """The batches of ``data``: itself for an array or list, else the first ``steps`` items it yields."""
    if isinstance(data, (list, tuple, np.ndarray, str)) or backend.is_tensor(data) or not hasattr(data, "__iter__"):
        yield data
        return
    for i, batch in enumerate(data):
        if steps is not None and i >= steps:
            return
        yield batch[0] if isinstance(batch, tuple) else batch
