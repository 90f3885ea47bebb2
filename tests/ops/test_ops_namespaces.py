"""lamina's op namespaces hold every name Keras 3 documents for them.

The lists are Keras 3's public API files, read from keras-team/keras at commit 3422977a (2026-08):
``keras/api/ops/image/__init__.py``, ``keras/api/ops/nn/__init__.py``, ``keras/api/ops/linalg/__init__.py``
and, for math (Keras has no ``keras.ops.math`` API file any more), the ``keras.src.ops.math`` names that
``keras/api/ops/__init__.py`` exports at ``keras.ops``.
"""

import lamina.ops

# keras/api/ops/image/__init__.py
KERAS_IMAGE = (
    "affine_transform", "crop_images", "elastic_transform", "extract_patches", "extract_patches_3d",
    "gaussian_blur", "hsv_to_rgb", "map_coordinates", "pad_images", "perspective_transform",
    "reconstruct_patches", "resize", "rgb_to_grayscale", "rgb_to_hsv", "scale_and_translate", "sobel_edges",
    "ssim",
)

# keras/api/ops/nn/__init__.py
KERAS_NN = (
    "adaptive_average_pool", "adaptive_max_pool", "average_pool", "batch_normalization", "binary_crossentropy",
    "categorical_crossentropy", "celu", "conv", "conv_transpose", "ctc_decode", "ctc_loss", "depth_to_space",
    "depthwise_conv", "dot_product_attention", "elu", "fold", "gelu", "glu", "hard_shrink", "hard_sigmoid",
    "hard_silu", "hard_swish", "hard_tanh", "layer_normalization", "leaky_relu", "log_sigmoid", "log_softmax",
    "max_pool", "moments", "multi_hot", "normalize", "one_hot", "polar", "psnr", "relu", "relu6",
    "rms_normalization", "selu", "separable_conv", "sigmoid", "silu", "swish", "soft_shrink", "softmax",
    "softplus", "softsign", "space_to_depth", "sparse_categorical_crossentropy", "sparse_plus",
    "sparse_sigmoid", "sparsemax", "squareplus", "tanh_shrink", "threshold", "unfold",
)

# keras/api/ops/linalg/__init__.py
KERAS_LINALG = (
    "cholesky", "cholesky_inverse", "det", "eig", "eigh", "inv", "jvp", "lstsq", "lu_factor", "matrix_power",
    "matrix_rank", "norm", "pinv", "qr", "solve", "solve_triangular", "svd",
)

# keras.src.ops.math names exported by keras/api/ops/__init__.py
KERAS_MATH = (
    "cdist", "erf", "erfc", "erfinv", "extract_sequences", "fft", "fft2", "gammainc", "ifft2", "in_top_k",
    "irfft", "istft", "logdet", "logsumexp", "rfft", "rsqrt", "segment_max", "segment_min", "segment_prod",
    "segment_sum", "stft", "top_k", "view_as_complex", "view_as_real",
)

# Names left out on purpose, each with its reason (none today).
EXCLUDED: set[str] = set()


def _missing(module, names, top_level: bool):
    """Names absent from ``module`` (and from ``lamina.ops`` when Keras also exports them at the top)."""
    missing = [n for n in names if n not in EXCLUDED and not callable(getattr(module, n, None))]
    if top_level:
        missing += [f"ops.{n}" for n in names if n not in EXCLUDED and not callable(getattr(lamina.ops, n, None))]
    return missing


def test_image_namespace(engine):
    assert _missing(lamina.ops.image, KERAS_IMAGE, top_level=False) == []


def test_nn_namespace(engine):
    assert _missing(lamina.ops.nn, KERAS_NN, top_level=True) == []


def test_linalg_namespace(engine):
    assert _missing(lamina.ops.linalg, KERAS_LINALG, top_level=True) == []


def test_math_namespace(engine):
    assert _missing(lamina.ops.math, KERAS_MATH, top_level=True) == []


# keras/api/ops/__init__.py (same commit): every name Keras exports at the top of `keras.ops`, whichever
# family (numpy, core, nn, math, linalg, einops) it comes from.
KERAS_OPS = (
    "abs", "absolute", "adaptive_average_pool", "adaptive_max_pool", "add", "all", "allclose", "amax", "amin",
    "angle", "any", "append", "arange", "arccos", "arccosh", "arcsin", "arcsinh", "arctan", "arctan2", "arctanh",
    "argmax", "argmin", "argpartition", "argsort", "array", "array_split", "associative_scan", "average",
    "average_pool", "bartlett", "batch_normalization", "binary_crossentropy", "bincount", "bitwise_and",
    "bitwise_invert", "bitwise_left_shift", "bitwise_not", "bitwise_or", "bitwise_right_shift", "bitwise_xor",
    "blackman", "broadcast_to", "cast", "categorical_crossentropy", "cbrt", "cdist", "ceil", "celu", "cholesky",
    "cholesky_inverse", "clip", "column_stack", "concatenate", "cond", "conj", "conjugate", "conv",
    "conv_transpose", "convert_to_numpy", "convert_to_tensor", "copy", "corrcoef", "correlate", "cos", "cosh",
    "count_nonzero", "cross", "ctc_decode", "ctc_loss", "cumprod", "cumsum", "custom_gradient", "deg2rad",
    "depth_to_space", "depthwise_conv", "det", "diag", "diagflat", "diagonal", "diff", "digitize", "divide",
    "divide_no_nan", "dot", "dot_product_attention", "dsplit", "dstack", "dtype", "eig", "eigh", "einsum", "elu",
    "empty", "empty_like", "equal", "erf", "erfc", "erfinv", "exp", "exp2", "expand_dims", "expm1",
    "extract_sequences", "eye", "fabs", "fft", "fft2", "flip", "fliplr", "flipud", "floor", "floor_divide", "fmax",
    "fmin", "fmod", "fold", "fori_loop", "full", "full_like", "gammainc", "gcd", "gelu", "geomspace", "get_item",
    "glu", "greater", "greater_equal", "hamming", "hanning", "hard_shrink", "hard_sigmoid", "hard_silu",
    "hard_swish", "hard_tanh", "heaviside", "histogram", "hsplit", "hstack", "hypot", "i0", "identity", "ifft2",
    "imag", "image", "in_top_k", "inner", "inv", "irfft", "is_tensor", "isclose", "isfinite", "isin", "isinf",
    "isnan", "isneginf", "isposinf", "isreal", "istft", "jvp", "kaiser", "kron", "layer_normalization", "lcm",
    "ldexp", "leaky_relu", "left_shift", "less", "less_equal", "linalg", "linspace", "log", "log10", "log1p",
    "log2", "log_sigmoid", "log_softmax", "logaddexp", "logaddexp2", "logdet", "logical_and", "logical_not",
    "logical_or", "logical_xor", "logspace", "logsumexp", "lstsq", "lu_factor", "map", "matmul", "matrix_power",
    "matrix_rank", "max", "max_pool", "maximum", "mean", "median", "meshgrid", "min", "minimum", "mod", "moments",
    "moveaxis", "multi_hot", "multiply", "nan_to_num", "nanargmax", "nanargmin", "nancumprod", "nancumsum",
    "nanmax", "nanmean", "nanmedian", "nanmin", "nanpercentile", "nanprod", "nanquantile", "nanstd", "nansum",
    "nanvar", "ndim", "negative", "nextafter", "nn", "nonzero", "norm", "normalize", "not_equal", "numpy",
    "one_hot", "ones", "ones_like", "outer", "pad", "percentile", "pinv", "polar", "power", "prod", "psnr", "ptp",
    "qr", "quantile", "rad2deg", "ravel", "real", "rearrange", "reciprocal", "relu", "relu6", "repeat", "reshape",
    "rfft", "right_shift", "rms_normalization", "roll", "rot90", "round", "rsqrt", "saturate_cast", "scan",
    "scatter", "scatter_update", "searchsorted", "segment_max", "segment_min", "segment_prod", "segment_sum",
    "select", "selu", "separable_conv", "shape", "sigmoid", "sign", "signbit", "silu", "sin", "sinc", "sinh",
    "size", "slice", "slice_update", "slogdet", "soft_shrink", "softmax", "softplus", "softsign", "solve",
    "solve_triangular", "sort", "space_to_depth", "sparse_categorical_crossentropy", "sparse_plus",
    "sparse_sigmoid", "sparsemax", "split", "sqrt", "square", "squareplus", "squeeze", "stack", "std", "stft",
    "stop_gradient", "subtract", "sum", "svd", "swapaxes", "swish", "switch", "take", "take_along_axis", "tan",
    "tanh", "tanh_shrink", "tensordot", "threshold", "tile", "top_k", "trace", "transpose", "trapezoid", "tri",
    "tril", "triu", "true_divide", "trunc", "unfold", "unique", "unravel_index", "unstack", "vander", "var",
    "vdot", "vectorize", "vectorized_map", "view", "view_as_complex", "view_as_real", "vsplit", "vstack", "where",
    "while_loop", "zeros", "zeros_like",
)


def test_top_level_ops_namespace(engine):
    missing = [n for n in KERAS_OPS if n not in EXCLUDED and not hasattr(lamina.ops, n)]
    assert missing == []
