"""Keras 1 and Keras 2 layer names and constructor arguments, spelled the Keras 3 way.

One table serves every reader of old code: ``lamina.legacy``'s layer classes (constructor calls),
the reader of Keras 1/2 JSON/YAML architectures, and the ``lamina.legacy.upgrade`` codemod (source text).
It only rewrites names and plain values: it sits on the serialization floor and imports no layer.

Values are translated where the old spelling also meant an old value: ``init='uniform'`` becomes the
initializer config Keras 1 meant (``RandomUniform(-0.05, 0.05)``), ``dim_ordering='th'`` becomes
``data_format='channels_first'``, and an activation named ``hard_sigmoid`` becomes Keras 1/2's
``0.2 * x + 0.5`` (registered by ``lamina.legacy.activations`` as ``KERAS1_HARD_SIGMOID``).
"""

from __future__ import annotations

# Keras 1/2 class name -> Keras 3 class name, where the class itself survives under another name.
CLASS_RENAMES: dict[str, str] = {
    "Convolution1D": "Conv1D",
    "Convolution2D": "Conv2D",
    "Convolution3D": "Conv3D",
    "AtrousConvolution1D": "Conv1D",
    "AtrousConvolution2D": "Conv2D",
    "Deconvolution2D": "Conv2DTranspose",
    "SeparableConvolution2D": "SeparableConv2D",
    "TimeDistributedDense": "Dense",  # a Keras 3 Dense maps the last axis of every time step
    "MaskedLayer": "Layer",
}

# Keras 1 classes that Keras 3 lacks; ``lamina.legacy.layers`` builds them from modern layers and ops.
KERAS1_ONLY: tuple[str, ...] = ("Merge", "MaxoutDense", "Highway", "SReLU", "TimeDistributedMerge", "AutoEncoder",
                                "Siamese")

# Keras 1/2 positional parameters of a class, in order (``Convolution2D(64, 3, 3)``).
_CONV2D = ("nb_filter", "nb_row", "nb_col")
_POOL1D = ("pool_length", "stride", "border_mode")
_POOLND = ("pool_size", "strides", "border_mode", "dim_ordering")
POSITIONAL: dict[str, tuple[str, ...]] = {
    "Dense": ("output_dim",),
    "TimeDistributedDense": ("output_dim",),
    "MaxoutDense": ("output_dim", "nb_feature"),
    "Convolution1D": ("nb_filter", "filter_length"),
    "AtrousConvolution1D": ("nb_filter", "filter_length"),
    "Convolution2D": _CONV2D,
    "AtrousConvolution2D": _CONV2D,
    "SeparableConvolution2D": _CONV2D,
    "Deconvolution2D": _CONV2D + ("output_shape",),
    "Convolution3D": ("nb_filter", "kernel_dim1", "kernel_dim2", "kernel_dim3"),
    "MaxPooling1D": _POOL1D,
    "AveragePooling1D": _POOL1D,
    **{f"{kind}Pooling{n}D": _POOLND for kind in ("Max", "Average") for n in (2, 3)},
    "UpSampling1D": ("length",),
    "UpSampling2D": ("size", "dim_ordering"),
    "UpSampling3D": ("size", "dim_ordering"),
    "ZeroPadding1D": ("padding",),
    "ZeroPadding2D": ("padding", "dim_ordering"),
    "ZeroPadding3D": ("padding", "dim_ordering"),
    "Embedding": ("input_dim", "output_dim"),
    "SimpleRNN": ("output_dim",),
    "GRU": ("output_dim",),
    "LSTM": ("output_dim",),
    "Dropout": ("p",),
    "SpatialDropout1D": ("p",),
    "SpatialDropout2D": ("p",),
    "SpatialDropout3D": ("p",),
    "GaussianDropout": ("p",),
    "GaussianNoise": ("sigma",),
    "LeakyReLU": ("alpha",),
    "PReLU": ("init",),
    "ThresholdedReLU": ("theta",),
    "Activation": ("activation",),
    "Reshape": ("target_shape",),
    "Permute": ("dims",),
    "RepeatVector": ("n",),
    "Masking": ("mask_value",),
    "Lambda": ("function", "output_shape", "arguments"),
    "BatchNormalization": ("epsilon", "mode", "axis", "momentum", "weights", "beta_init", "gamma_init"),
    "ActivityRegularization": ("l1", "l2"),
    "Merge": ("layers", "mode", "concat_axis", "dot_axes", "output_shape", "output_mask"),
    "TimeDistributedMerge": ("mode",),
    "AutoEncoder": ("encoder", "decoder", "output_reconstruction", "weights"),
}

# Keras 1/2 argument -> Keras 3 argument, for every class unless ``CLASS_ARGUMENTS`` says otherwise.
ARGUMENTS: dict[str, str] = {
    "output_dim": "units",
    "init": "kernel_initializer",
    "inner_init": "recurrent_initializer",
    "inner_activation": "recurrent_activation",
    "W_regularizer": "kernel_regularizer",
    "U_regularizer": "recurrent_regularizer",
    "b_regularizer": "bias_regularizer",
    "W_constraint": "kernel_constraint",
    "U_constraint": "recurrent_constraint",
    "b_constraint": "bias_constraint",
    "bias": "use_bias",
    "dropout_W": "dropout",
    "dropout_U": "recurrent_dropout",
    "forget_bias_init": "unit_forget_bias",
    "nb_filter": "filters",
    "filter_length": "kernel_size",
    "border_mode": "padding",
    "subsample": "strides",
    "subsample_length": "strides",
    "dim_ordering": "data_format",
    "atrous_rate": "dilation_rate",
    "pool_length": "pool_size",
    "stride": "strides",
    "beta_init": "beta_initializer",
    "gamma_init": "gamma_initializer",
}

_RATE = {"p": "rate"}
# Per-class exceptions and additions to ``ARGUMENTS``.
CLASS_ARGUMENTS: dict[str, dict[str, str]] = {
    "Embedding": {"output_dim": "output_dim", "init": "embeddings_initializer",
                  "W_regularizer": "embeddings_regularizer", "W_constraint": "embeddings_constraint"},
    "Dropout": _RATE,
    "SpatialDropout1D": _RATE,
    "SpatialDropout2D": _RATE,
    "SpatialDropout3D": _RATE,
    "GaussianDropout": _RATE,
    "GaussianNoise": {"sigma": "stddev"},
    "LeakyReLU": {"alpha": "negative_slope"},
    "PReLU": {"init": "alpha_initializer"},
    "Reshape": {"dims": "target_shape"},
    "UpSampling1D": {"length": "size"},
    "SeparableConvolution2D": {"init": "depthwise_initializer"},  # and pointwise_initializer: see below
    "Merge": {"mode": "mode"},
}

# Keras 1 arguments with no Keras 3 counterpart: dropped, with the reason a warning gives.
DROPPED: dict[str, str] = {
    "consume_less": "nothing (lamina picks the recurrent kernel itself)",
    "implementation": "nothing (lamina picks the recurrent kernel itself)",
    "input_dtype": "dtype",
    "cache_enabled": "nothing",
}
CLASS_DROPPED: dict[str, dict[str, str]] = {
    "Deconvolution2D": {"output_shape": "nothing (computed from the input)"},
    "Embedding": {"dropout": "nothing (add SpatialDropout1D after the Embedding)"},
}

# Arguments a reader must pop from the modern kwargs and apply once the layer is built (``set_weights``).
AFTER_BUILD: tuple[str, ...] = ("weights",)

# Registered name of Keras 1/2's ``hard_sigmoid`` (``clip(0.2 * x + 0.5, 0, 1)``; Keras 3's is ``x / 6 + 0.5``).
# Its package is the module that registers it, so a saved model naming it loads in a fresh process.
KERAS1_HARD_SIGMOID = "lamina.legacy.activations>hard_sigmoid"
_ACTIVATIONS = {"hard_sigmoid": KERAS1_HARD_SIGMOID}
_ACTIVATION_ARGUMENTS = ("activation", "recurrent_activation")


def _initializer(class_name: str, **config) -> dict:
    return {"class_name": class_name, "config": config}


# Keras 1 initializer names -> the Keras 3 initializer config with Keras 1's numbers. Keras 1's
# ``uniform``/``normal`` have scale 0.05, its ``glorot_normal``/``he_normal`` are NOT truncated and its
# ``orthogonal`` has gain 1.1.
INITIALIZERS: dict[str, dict] = {
    "uniform": _initializer("RandomUniform", minval=-0.05, maxval=0.05),
    "normal": _initializer("RandomNormal", mean=0.0, stddev=0.05),
    "zero": _initializer("Zeros"),
    "one": _initializer("Ones"),
    "glorot_uniform": _initializer("GlorotUniform"),
    "glorot_normal": _initializer("VarianceScaling", scale=1.0, mode="fan_avg", distribution="untruncated_normal"),
    "he_uniform": _initializer("HeUniform"),
    "he_normal": _initializer("VarianceScaling", scale=2.0, mode="fan_in", distribution="untruncated_normal"),
    "lecun_uniform": _initializer("LecunUniform"),
    "orthogonal": _initializer("Orthogonal", gain=1.1),
    "identity": _initializer("Identity", gain=1.0),
}

# Keras 1/2 defaults (in Keras 3 spelling) that differ from Keras 3's: a Keras 1 constructor call that does
# not name them meant these. (Keras 1's Embedding default ``init='uniform'`` is Keras 3's ``"uniform"``.)
DEFAULTS: dict[str, dict] = {
    "GRU": {"recurrent_activation": KERAS1_HARD_SIGMOID, "reset_after": False},
    "LSTM": {"recurrent_activation": KERAS1_HARD_SIGMOID},
}

_DATA_FORMATS = {"th": "channels_first", "tf": "channels_last"}
_KERNEL_PARTS = (("nb_row", "nb_col"), ("kernel_dim1", "kernel_dim2", "kernel_dim3"))
_INITIALIZER_ARGUMENTS = ("init", "inner_init", "beta_init", "gamma_init")
# Keras 1 ``{"name": ...}`` regularizer and constraint configs -> (Keras 3 class, {old key: new key}).
_KERAS1_OBJECTS = {
    "WeightRegularizer": ("L1L2", {"l1": "l1", "l2": "l2"}),
    "ActivityRegularizer": ("L1L2", {"l1": "l1", "l2": "l2"}),
    "L1L2Regularizer": ("L1L2", {"l1": "l1", "l2": "l2"}),  # Keras 1.2's name for both
    "MaxNorm": ("MaxNorm", {"m": "max_value", "axis": "axis"}),
    "NonNeg": ("NonNeg", {}),
    "UnitNorm": ("UnitNorm", {"axis": "axis"}),
    "MinMaxNorm": ("MinMaxNorm", {"low": "min_value", "high": "max_value", "rate": "rate", "axis": "axis"}),
}


def keyword_arguments(class_name: str, args: tuple, kwargs: dict) -> dict:
    """One dict of a Keras 1/2 call's arguments, positional ones named by ``POSITIONAL``."""
    names = POSITIONAL.get(class_name, ())
    if len(args) > len(names):
        raise TypeError(f"{class_name} takes at most {len(names)} positional arguments ({', '.join(names)}); "
                        f"received {len(args)}.")
    named = dict(zip(names, args))
    for key, value in kwargs.items():
        if key in named:
            raise TypeError(f"{class_name} got multiple values for argument '{key}'.")
        named[key] = value
    return named


def _keras1_object(value):
    """A Keras 1 regularizer/constraint config (``{"name": "WeightRegularizer", "l2": 0.01}``) in Keras 3 form."""
    if not (isinstance(value, dict) and value.get("name") in _KERAS1_OBJECTS):
        return value
    class_name, keys = _KERAS1_OBJECTS[value["name"]]
    return {"class_name": class_name, "config": {keys[k]: v for k, v in value.items() if k in keys}}


def _input_shape(class_name: str, modern: dict, renames: list) -> None:
    """Keras 1's ``input_dim``/``input_length`` (and ``batch_input_shape``) as ``input_shape``/``batch_size``."""
    if "batch_input_shape" in modern:
        shape = modern.pop("batch_input_shape")
        if shape is not None:
            modern["input_shape"] = tuple(shape[1:])
            modern["batch_size"] = shape[0]
        renames.append(("batch_input_shape", "input_shape=..., batch_size=..."))
    length = modern.pop("input_length", None)
    if class_name == "Embedding":
        if length is not None:
            modern["input_shape"] = (length,)
            renames.append(("input_length", "input_shape"))
        return
    dim = modern.pop("input_dim", None)
    if dim is None and length is None:
        return
    modern["input_shape"] = (dim,) if length is None else (length, dim)
    renames.append(("input_dim" if length is None else "input_dim/input_length", "input_shape"))


# Keras 1's ``Merge(mode=...)`` / ``merge(..., mode=...)``: the Keras 3 merging layer of each named mode
# (``cos`` is a normalized ``Dot``; a callable mode is a ``Lambda`` and stays with lamina.legacy).
MERGE_MODES: dict[str, str] = {"sum": "Add", "mul": "Multiply", "concat": "Concatenate", "ave": "Average",
                               "max": "Maximum", "dot": "Dot", "cos": "Dot"}


# What Keras 1's Merge took besides the mode and axes: the shape and mask of a callable mode, and how it
# picked its inputs' nodes. A merging layer with a named mode has no use for them.
_MERGE_ONLY = ("output_shape", "output_mask", "arguments", "node_indices", "tensor_indices", "mode_type",
               "output_shape_type", "output_mask_type")


def _merge_arguments(kwargs: dict) -> tuple[str, dict, list[tuple[str, str]]]:
    """A Keras 1 ``Merge`` with a named mode as its Keras 3 layer: ``concat_axis`` becomes ``axis``,
    ``dot_axes`` becomes ``axes``; other arguments (``name``, ...) pass through."""
    modern = {key: value for key, value in kwargs.items() if key not in _MERGE_ONLY}
    mode = modern.pop("mode", "sum")
    if not isinstance(mode, str) or mode not in MERGE_MODES:
        return "Merge", dict(kwargs), []
    layer = MERGE_MODES[mode]
    renames = [(f"Merge(mode={mode!r})", layer + ("(normalize=True)" if mode == "cos" else ""))]
    concat_axis, dot_axes = modern.pop("concat_axis", -1), modern.pop("dot_axes", -1)
    if layer == "Concatenate":
        modern["axis"] = concat_axis
    elif layer == "Dot":
        modern["axes"] = dot_axes
        if mode == "cos":
            modern["normalize"] = True
    return layer, modern, renames


def modern_arguments(class_name: str, kwargs: dict) -> tuple[str, dict, list[tuple[str, str]]]:
    """``(Keras 3 class name, Keras 3 kwargs, [(old spelling, modern spelling), ...])`` for a Keras 1/2
    constructor call given by keyword (resolve positional arguments with ``keyword_arguments`` first). The
    pairs are what a ``DeprecationWarning`` names; an empty list means the call was already modern.
    ``weights`` stays in the kwargs (see ``AFTER_BUILD``). A ``Merge`` with a named mode becomes its
    Keras 3 merging layer (``MERGE_MODES``)."""
    if class_name == "Merge":
        return _merge_arguments(kwargs)
    renames = []
    modern = {}
    table = {**ARGUMENTS, **CLASS_ARGUMENTS.get(class_name, {})}
    dropped = {**DROPPED, **CLASS_DROPPED.get(class_name, {})}
    for parts in _KERNEL_PARTS:
        if any(part in kwargs for part in parts):
            modern["kernel_size"] = tuple(kwargs[part] for part in parts if part in kwargs)
            renames.append(("/".join(p for p in parts if p in kwargs), "kernel_size"))
    for old, value in kwargs.items():
        if any(old in parts for parts in _KERNEL_PARTS):
            continue
        if old in dropped:
            renames.append((old, dropped[old]))
            continue
        new = table.get(old, old)
        if new != old:
            renames.append((old, new))
        if old in _INITIALIZER_ARGUMENTS and isinstance(value, str):
            value = INITIALIZERS.get(value, value)
        elif old == "forget_bias_init":
            value = value in ("one", "ones")
        elif old == "dim_ordering":
            if value not in _DATA_FORMATS:  # 'default': the configured image_data_format
                continue
            value = _DATA_FORMATS[value]
        elif new in _ACTIVATION_ARGUMENTS and isinstance(value, str):
            value = _ACTIVATIONS.get(value, value)
        modern[new] = _keras1_object(value)
    if class_name == "SeparableConvolution2D" and "depthwise_initializer" in modern:
        modern["pointwise_initializer"] = modern["depthwise_initializer"]
    if class_name == "BatchNormalization" and "mode" in modern:
        if modern.pop("mode") != 0:
            raise ValueError("BatchNormalization `mode` 1 and 2 of Keras 1 have no Keras 3 counterpart; only "
                             "mode=0 (feature-wise normalization) is supported.")
        renames.append(("mode=0", "nothing"))
    _input_shape(class_name, modern, renames)
    return CLASS_RENAMES.get(class_name, class_name), modern, renames
