"""Hashing: values into a fixed number of bins with Keras' hashes, on the host."""

from __future__ import annotations

import numpy as np

from lamina import backend
from lamina.layers.preprocessing.fingerprint import fingerprint64, siphash24
from lamina.layers.preprocessing.host_encoding import encode_indices, encoded_shape
from lamina.layers.preprocessing.host_layer import HostLayer

_MODES = ("int", "one_hot", "multi_hot", "count")


class Hashing(HostLayer):
    """Hash strings or integers into ``num_bins`` bins, giving the bins Keras gives: FarmHash Fingerprint64
    without a salt (``tf.strings.to_hash_bucket_fast``), SipHash-2-4 keyed by ``salt`` with one (a single int
    ``s`` means ``[s, s]``, as Keras). Integers (and floats, truncated) are hashed through their decimal
    text. With ``mask_value``, that value goes to bin 0 and the others to bins ``1..num_bins-1``.

    Example:
        >>> np.asarray(Hashing(num_bins=3)([["A"], ["B"], ["C"], ["D"], ["E"]])).ravel().tolist()
        [1, 0, 1, 1, 2]
    """

    def __init__(self, num_bins, mask_value=None, salt=None, output_mode="int", sparse=False, **kwargs):
        if kwargs.get("dtype") is None:  # Keras' default: int64 indices, floatx encodings
            kwargs["dtype"] = "int64" if output_mode == "int" else backend.floatx()
        super().__init__(**kwargs)
        if num_bins is None or not isinstance(num_bins, int) or num_bins <= 0:
            raise ValueError(f"The `num_bins` for `Hashing` cannot be `None` or non-positive values. "
                             f"Received: num_bins={num_bins}.")
        if output_mode not in _MODES:
            raise ValueError(f"Invalid value for argument `output_mode` of Hashing. Expected one of {_MODES}. "
                             f"Received: output_mode={output_mode!r}")
        if output_mode == "int" and self.dtype_policy.name not in ("int32", "int64"):
            raise ValueError("When `output_mode='int'`, the `dtype` of Hashing must be 'int32' or 'int64'. "
                             f"Received: dtype={self.dtype_policy.name!r}")
        if sparse:
            raise ValueError("`sparse=True` is not supported by Hashing in lamina. Received: sparse=True")
        if salt is not None and not (isinstance(salt, int) or (isinstance(salt, (list, tuple)) and len(salt) == 2)):
            raise ValueError("The `salt` argument for `Hashing` can only be a tuple of size 2 integers, or a single "
                             f"integer. Received: salt={salt}.")
        self.num_bins = num_bins
        self.mask_value = mask_value
        self.salt = None if salt is None else [salt, salt] if isinstance(salt, int) else list(salt)
        self.output_mode = output_mode
        self.sparse = sparse

    def _hash(self, value) -> int:
        data = value.encode("utf-8") if isinstance(value, str) else str(value).encode("utf-8")
        return siphash24(self.salt, data) if self.salt is not None else fingerprint64(data)

    def host_call(self, array: np.ndarray) -> np.ndarray:
        if array.dtype.kind == "f":
            array = array.astype("int64")
        flat = array.reshape(-1).tolist()
        bins = self.num_bins
        masked = self.mask_value is not None and bins > 1
        if masked:
            bins -= 1
        indices = np.fromiter((self._hash(v) % bins for v in flat), dtype="int64", count=len(flat))
        if masked:
            indices += 1
            indices[np.array([v == self.mask_value for v in flat], dtype=bool)] = 0
        indices = indices.reshape(array.shape)
        if self.output_mode == "int":
            return indices
        return encode_indices(indices, self.output_mode, self.num_bins, self.output_dtype)

    @property
    def output_dtype(self) -> str:
        return self.dtype  # the dtype policy's, as in Keras (int64 or floatx unless given)

    def compute_output_shape(self, input_shape):
        if self.output_mode == "int":
            return tuple(input_shape)
        return encoded_shape(tuple(input_shape), self.output_mode, self.num_bins)

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({"num_bins": self.num_bins, "salt": self.salt, "mask_value": self.mask_value,
                       "output_mode": self.output_mode, "sparse": self.sparse})
        return config
