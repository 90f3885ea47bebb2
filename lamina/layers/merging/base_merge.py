"""Merge: the base of the layers that combine a list of tensors into one (Add, Concatenate, Dot, ...)."""

from __future__ import annotations

import functools

from lamina import backend, ops
from lamina.backend.common import naming
from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.layer import Layer
from lamina.ops.spec import broadcast_shapes


def _expand_to_rank(x, rank: int):
    """Insert axes of size 1 right after the batch axis until ``x`` has ``rank`` axes."""
    while len(ops.shape(x)) < rank:
        x = ops.expand_dims(x, 1)
    return x


class Merge(Layer):
    """Base of the layers that combine a list of two or more tensors.

    Elementwise merges broadcast as Keras does: the axes after the batch axis are aligned on the right (an
    input of lower rank gains axes of size 1 right after its batch axis) and a dimension of size 1
    stretches to match the others. The output mask, as Keras', is the logical OR of the inputs' masks
    (a step is kept when any input keeps it), aligned the same way; it is None when an input has no mask.

    Subclasses set ``_pairwise`` (a binary op folded over the inputs) or define ``_merge_function`` (called
    on a list of inputs of equal rank). Merges that are not elementwise (Concatenate, Dot) set
    ``_elementwise = False`` and override ``compute_output_shape`` and ``compute_mask``.
    """

    _num_inputs: int | None = None  # an exact number of inputs (Subtract, Dot); None: two or more
    _elementwise = True
    _pairwise = None  # e.g. staticmethod(ops.add): the merge is ((x0 op x1) op x2) ...

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.supports_masking = True

    def _error(self, message: str) -> ValueError:
        return ValueError(f"Layer '{self.name}' ({type(self).__name__}): {message}")

    def _input_shapes(self, input_shape) -> list:
        """``input_shape`` checked to be a list of shapes, as many as the layer takes."""
        if not isinstance(input_shape, (list, tuple)) or not input_shape or not all(
            isinstance(s, (list, tuple)) for s in input_shape
        ):
            raise self._error(
                "A merge layer should be called on a list of inputs. "
                f"Received: input_shape={input_shape} (not a list of shapes)"
            )
        shapes = [tuple(s) for s in input_shape]
        if self._num_inputs is not None and len(shapes) != self._num_inputs:
            raise self._error(
                f"A `{type(self).__name__}` layer should be called on exactly {self._num_inputs} inputs. "
                f"Received {len(shapes)} inputs with shapes {shapes}"
            )
        if len(shapes) < 2:
            raise self._error(
                f"A merge layer should be called on a list of at least 2 inputs. Received {len(shapes)} input "
                f"with shape {shapes[0]}"
            )
        return shapes

    def _batch_size(self, shapes):
        """The batch size the inputs agree on (None when unknown); different known sizes are an error."""
        sizes = {s[0] for s in shapes if s} - {None}
        if len(sizes) > 1:
            raise self._error(f"Cannot merge tensors with different batch sizes. Received shapes {shapes}")
        return sizes.pop() if sizes else None

    def build(self, input_shape):
        """Merge layers have no state: building checks that the input shapes can be merged."""
        self.compute_output_shape(input_shape)

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)):
            raise self._error(
                "A merge layer should be called on a list of inputs. "
                f"Received: an input of shape {ops.shape(inputs)} (not a list of tensors)"
            )
        if self._elementwise:
            rank = max(len(ops.shape(x)) for x in inputs)
            inputs = [_expand_to_rank(x, rank) for x in inputs]
        return self._merge_function(list(inputs))

    def _merge_function(self, inputs):
        if self._pairwise is None:
            raise NotImplementedError(f"{type(self).__name__} must set `_pairwise` or define `_merge_function`.")
        return functools.reduce(self._pairwise, inputs)

    def compute_output_shape(self, input_shape):
        shapes = self._input_shapes(input_shape)
        batch = self._batch_size(shapes)
        try:
            features = broadcast_shapes(*(s[1:] for s in shapes), op_name=type(self).__name__)
        except ValueError as error:
            raise self._error(
                f"Inputs have incompatible shapes: the dimensions after the batch axis must be equal or 1 "
                f"(aligned on the right). Received shapes {shapes}"
            ) from error
        return (batch, *features)

    def compute_output_spec(self, inputs):
        shape = self.compute_output_shape([ops.shape(x) for x in inputs])
        return SymbolicTensor(shape, self._output_dtype([x.dtype for x in inputs]))

    def _output_dtype(self, dtypes) -> str:
        """The dtype of the merged tensor for inputs of ``dtypes``: what ``_merge_function``'s ops promote to."""
        return backend.result_type(*dtypes)

    def _check_masks(self, inputs, mask) -> None:
        if not isinstance(mask, (list, tuple)) or not isinstance(inputs, (list, tuple)) or len(mask) != len(inputs):
            raise self._error(
                f"`inputs` and `mask` should be lists of the same length. Received: mask={mask!r} for "
                f"{len(inputs) if isinstance(inputs, (list, tuple)) else 'a single'} input(s)"
            )

    def compute_mask(self, inputs, mask=None):
        if mask is None:
            return None
        self._check_masks(inputs, mask)
        if any(m is None for m in mask):  # an unmasked input is all-true, and so is anything OR'ed with it
            return None
        masks = [ops.convert_to_tensor(m) for m in mask]
        rank = max(len(ops.shape(m)) for m in masks)
        return functools.reduce(ops.logical_or, [_expand_to_rank(m, rank) for m in masks])


def functional_form(cls: type):
    """The lower-case function of a merge layer class: ``add(inputs, **kwargs)`` is ``Add(**kwargs)(inputs)``."""
    name = naming.to_snake_case(cls.__name__)

    def merge(inputs, **kwargs):
        return cls(**kwargs)(inputs)

    merge.__name__ = merge.__qualname__ = name
    merge.__module__ = cls.__module__
    merge.__doc__ = (
        f"Functional form of `{cls.__name__}`: ``{name}(inputs, **kwargs)`` is ``{cls.__name__}(**kwargs)(inputs)``."
    )
    return merge
