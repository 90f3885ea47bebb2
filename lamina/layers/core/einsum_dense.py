"""EinsumDense: a dense layer whose contraction is any einsum of the inputs with one kernel."""

from __future__ import annotations

import re

from lamina import activations, ops, regularizers
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
from lamina.layers.lora import LoRA, lora_weight
from lamina.layers.weight_options import WeightOptions

_WEIGHTS = WeightOptions("kernel", "bias")
# The three forms Keras accepts: no ellipsis, an ellipsis leading the input and output, or trailing them.
_FORMS = (
    (re.compile(r"([a-zA-Z]+),([a-zA-Z]+)->([a-zA-Z]+)"), None),
    (re.compile(r"\.\.\.([a-zA-Z]+),([a-zA-Z]+)->\.\.\.([a-zA-Z]+)"), "left"),
    (re.compile(r"([a-zA-Z]{2,})\.\.\.,([a-zA-Z]+)->([a-zA-Z]+)\.\.\."), "right"),
)


def _parse(equation) -> tuple:
    """``(input_spec, kernel_spec, output_spec, ellipsis side)`` of ``equation``."""
    for pattern, side in _FORMS:
        match = pattern.fullmatch(equation) if isinstance(equation, str) else None
        if match:
            return (*match.groups(), side)
    raise ValueError(
        "Invalid value for argument `equation` of EinsumDense. Expected the form 'ab,bc->ac', '...ab,bc->...ac' "
        f"or 'ab...,bc->ac...'. Received: equation={equation!r}"
    )


def einsum_shapes(equation: str, bias_axes: str | None, input_shape, partial_output_shape) -> tuple:
    """``(kernel_shape, bias_shape or None, output_shape)`` of an EinsumDense on inputs of ``input_shape``.

    ``partial_output_shape`` gives the output's dims but the batch and the ellipsis (None: take it from the
    input axis with the same letter). The kernel's dims come from the output (or input) axis of each letter;
    the bias covers the output axes from the first of ``bias_axes`` on, with size 1 on those it skips.
    """
    input_spec, kernel_spec, output_spec, side = _parse(equation)
    input_shape = tuple(input_shape)
    elided = len(input_shape) - len(input_spec)
    if elided < 0 or (side is None and elided):
        raise ValueError(f"EinsumDense '{equation}' expects inputs of rank {len(input_spec)}"
                         f"{' or more' if side else ''}. Received input shape {input_shape}")
    if side == "left":
        output_shape = [input_shape[0], *input_shape[1:elided], *partial_output_shape]
        offset = elided
    else:
        output_shape = [input_shape[0], *partial_output_shape, *input_shape[len(input_spec):]]
        offset = 0
    if len(output_shape) != len(output_spec) + elided:
        raise ValueError(f"Invalid value for argument `output_shape` of EinsumDense: '{equation}' has "
                         f"{len(output_spec) + elided - 1} non-batch output dims. "
                         f"Received: output_shape={tuple(partial_output_shape)}")
    input_axis = {letter: i + offset for i, letter in enumerate(input_spec)}
    output_axis = {letter: i + offset for i, letter in enumerate(output_spec)}
    for letter, axis in output_axis.items():
        if letter in input_axis:
            size = input_shape[input_axis[letter]]
            if output_shape[axis] is None:
                output_shape[axis] = size
            elif size is not None and size != output_shape[axis]:
                raise ValueError(f"EinsumDense '{equation}': the input and output shapes differ at the shared "
                                 f"dimension '{letter}': input {size}, output {output_shape[axis]}.")
        elif letter not in kernel_spec:
            raise ValueError(f"EinsumDense '{equation}': output dimension '{letter}' is in neither the input "
                             f"spec '{input_spec}' nor the kernel spec '{kernel_spec}'.")
    kernel_shape = []
    for letter in kernel_spec:
        if letter in output_axis:
            kernel_shape.append(output_shape[output_axis[letter]])
        elif letter in input_axis:
            kernel_shape.append(input_shape[input_axis[letter]])
        else:
            raise ValueError(f"EinsumDense '{equation}': kernel dimension '{letter}' is in neither the input "
                             f"spec '{input_spec}' nor the output spec '{output_spec}'.")
    bias_shape = None
    if bias_axes:
        unknown = [letter for letter in bias_axes if letter not in output_spec]
        if unknown:
            raise ValueError(f"Invalid value for argument `bias_axes` of EinsumDense: {unknown[0]!r} is not in the "
                             f"output spec '{output_spec}'. Received: bias_axes={bias_axes!r}")
        first = min(output_spec.index(letter) for letter in bias_axes)
        bias_shape = [output_shape[output_axis[letter]] if letter in bias_axes else 1
                      for letter in output_spec[first:]]
        bias_shape += [1] * (elided if side == "right" else 0)
    return kernel_shape, bias_shape, tuple(output_shape)


class EinsumDense(LoRA, Layer):
    """A dense layer computed as ``activation(einsum(equation, inputs, kernel) + bias)``: the kernel's shape
    follows from the equation, the input shape and ``output_shape``, so one layer can project several axes
    at once (the query/key/value projections of attention, for instance).

    Args:
        equation: an einsum of the inputs with the kernel: ``"ab,bc->ac"``, ``"...ab,bc->...ac"`` or
            ``"ab...,bc->ac..."`` (any letters).
        output_shape: the output's shape without the batch dim and the ellipsis (an int or a tuple);
            None for a dim that the input gives.
        activation: activation function (name or callable); None means linear.
        bias_axes: the output letters that get a bias (None: no bias).
        kernel_initializer, bias_initializer, kernel_regularizer, bias_regularizer, activity_regularizer,
        kernel_constraint, bias_constraint: as for Dense.
        lora_rank, lora_alpha: as for Dense (the factors are ``kernel.shape[:-1] + (rank,)`` and
            ``(rank, kernel.shape[-1])``).

    Example:
        >>> layer = EinsumDense("abc,cde->abde", output_shape=(None, 2, 4), bias_axes="de")
        >>> tuple(layer(np.ones((3, 5, 6), "float32")).shape), tuple(layer.kernel.shape)
        ((3, 5, 2, 4), (6, 2, 4))
    """

    def __init__(self, equation: str, output_shape, activation=None, bias_axes: str | None = None,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", kernel_regularizer=None,
                 bias_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 lora_rank: int | None = None, lora_alpha: float | None = None, **kwargs):
        super().__init__(**kwargs)
        _parse(equation)
        self.equation = equation
        self.partial_output_shape = (output_shape,) if isinstance(output_shape, int) else tuple(output_shape)
        if bias_axes is not None and not isinstance(bias_axes, str):
            raise ValueError("Invalid value for argument `bias_axes` of EinsumDense. Expected None or a string "
                             f"of output letters. Received: bias_axes={bias_axes!r}")
        self.bias_axes = bias_axes
        self.activation = activations.get(activation)
        _WEIGHTS.store(self, locals())
        self._init_lora(lora_rank, lora_alpha)

    def build(self, input_shape):
        kernel_shape, bias_shape, _ = einsum_shapes(self.equation, self.bias_axes, input_shape,
                                                    self.partial_output_shape)
        if None in kernel_shape or (bias_shape is not None and None in bias_shape):
            raise ValueError(f"EinsumDense '{self.name}': the kernel dims of '{self.equation}' must be known. "
                             f"Received input shape {tuple(input_shape)} and "
                             f"output_shape={self.partial_output_shape}")
        self.input_spec = InputSpec(ndim=len(input_shape))
        self._kernel = _WEIGHTS.add(self, "kernel", tuple(kernel_shape))
        self.bias = _WEIGHTS.add(self, "bias", tuple(bias_shape)) if bias_shape is not None else None
        self._build_lora()

    kernel = lora_weight("kernel")

    def call(self, inputs):
        outputs = ops.einsum(self.equation, inputs, self.kernel)
        if self.bias is not None:
            outputs = ops.add(outputs, self.bias)
        if self.activation is not None:
            outputs = self.activation(outputs)
        return outputs

    def compute_output_shape(self, input_shape):
        return einsum_shapes(self.equation, self.bias_axes, input_shape, self.partial_output_shape)[2]

    def get_config(self) -> dict:
        config = super().get_config()
        config.update({
            "output_shape": self.partial_output_shape,
            "equation": self.equation,
            "activation": activations.serialize(self.activation),
            "bias_axes": self.bias_axes,
            **_WEIGHTS.config(self),
            "activity_regularizer": regularizers.serialize(self.activity_regularizer),
            **self._lora_config(),
        })
        return config
