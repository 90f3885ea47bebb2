"""InputLayer and ``Input()``: the entry points of a functional graph."""

from __future__ import annotations

from lamina import backend
from lamina.backend.common.masking import get_mask, set_mask
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.layer import Layer
from lamina.ops.node import Node
from lamina.utils.argument_validation import check_int_at_least, standardize_shape


def as_input_dtype(value, dtype: str):
    """``value`` (a tensor fed to an ``Input``) in that Input's dtype, as Keras converts a model's inputs: a
    bool one-hot array fed to a float Input is cast before any layer reads it. Its mask stays with it."""
    if dtype == "string" or not backend.is_tensor(value) or backend.core.get_dtype(value) == dtype:
        return value
    cast = backend.core.cast(value, dtype)
    mask = get_mask(value)
    if mask is not None:
        set_mask(cast, mask)
    return cast


class InputLayer(Layer):
    """Holds the symbolic tensor a functional model starts from. Usually made through ``Input()``.

    Args:
        shape: the shape of one sample (no batch dimension), ``None`` for unknown dimensions.
        batch_size: a fixed batch size, or None.
        dtype: the dtype of the input (default ``floatx``).
        sparse: whether the input is sparse.
        batch_shape: the full shape including the batch dimension (instead of ``shape``/``batch_size``).
        input_tensor: an existing symbolic tensor to use as the input.
        optional: whether the input may be None.
    """

    _called_eagerly = False  # a model's eager call starts from its inputs, past this layer

    def __init__(self, shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None,
                 input_tensor=None, optional=False, name=None, **kwargs):
        if "input_shape" in kwargs:
            shape = kwargs.pop("input_shape")
        if "batch_input_shape" in kwargs:
            batch_shape = kwargs.pop("batch_input_shape")
        super().__init__(name=name, **kwargs)
        if shape is not None and batch_shape is not None:
            raise ValueError("You cannot pass both `shape` and `batch_shape` at the same time.")
        if input_tensor is not None:
            batch_shape = input_tensor.shape
        elif batch_shape is None:
            if shape is None:
                raise ValueError("You must pass a `shape` argument to an InputLayer (or `batch_shape`).")
            batch_size = check_int_at_least(batch_size, 1, "batch_size", "InputLayer", allow_none=True)
            batch_shape = (batch_size,) + standardize_shape(shape, "shape", "InputLayer")
        else:
            batch_shape = standardize_shape(batch_shape, "batch_shape", "InputLayer")
        self._batch_shape = tuple(batch_shape)
        self._dtype = backend.standardize_dtype(dtype) if dtype is not None else backend.floatx()
        self.sparse = bool(sparse)
        self.optional = optional
        if input_tensor is None:
            input_tensor = SymbolicTensor(self._batch_shape, self._dtype, sparse=self.sparse, name=self.name)
        Node(self, outputs=input_tensor)
        self.built = True

    @property
    def batch_shape(self) -> tuple:
        return self._batch_shape

    @property
    def dtype(self) -> str:
        return self._dtype

    def call(self):
        return None

    def get_config(self) -> dict:
        return {"batch_shape": self._batch_shape, "dtype": self._dtype, "sparse": self.sparse,
                "name": self.name, "optional": self.optional}


def Input(shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None, name=None, tensor=None,
          optional=False):
    """A symbolic tensor to build a functional model from: ``x = Input(shape=(784,))``."""
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, sparse=sparse, batch_shape=batch_shape,
                       input_tensor=tensor, optional=optional, name=name)
    return layer.output
