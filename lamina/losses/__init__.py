"""Losses with Keras 3 names: ``Loss`` classes, plain loss functions, and their lookup by name or config.

``get("categorical_crossentropy")`` returns the function, ``get("CategoricalCrossentropy")`` an instance of the
class; ``"mse"``, ``"mae"``, ``"mape"``, ``"msle"``, ``"kld"`` and ``"bce"`` (also upper-case) are aliases.
"""

from __future__ import annotations

from lamina import serialization
from lamina.losses.hinge import categorical_hinge, hinge, squared_hinge
from lamina.losses.loss import Loss, reduce_weighted_values, squeeze_or_expand_to_same_rank
from lamina.losses.losses import (
    CTC,
    BinaryCrossentropy,
    BinaryFocalCrossentropy,
    CategoricalCrossentropy,
    CategoricalFocalCrossentropy,
    CategoricalGeneralizedCrossEntropy,
    CategoricalHinge,
    Circle,
    CosineSimilarity,
    Dice,
    Hinge,
    Huber,
    KLDivergence,
    LogCosh,
    MeanAbsoluteError,
    MeanAbsolutePercentageError,
    MeanSquaredError,
    MeanSquaredLogarithmicError,
    Poisson,
    SparseCategoricalCrossentropy,
    SquaredHinge,
    Tversky,
)
from lamina.losses.metric_learning import circle
from lamina.losses.probabilistic import (
    binary_crossentropy,
    binary_focal_crossentropy,
    categorical_crossentropy,
    categorical_focal_crossentropy,
    categorical_generalized_cross_entropy,
    kl_divergence,
    poisson,
    sparse_categorical_crossentropy,
)
from lamina.losses.regression import (
    cosine_similarity,
    huber,
    log_cosh,
    mean_absolute_error,
    mean_absolute_percentage_error,
    mean_squared_error,
    mean_squared_logarithmic_error,
)
from lamina.losses.segmentation import dice, tversky
from lamina.losses.sequence import ctc
from lamina.losses.wrapper import LossFunctionWrapper

# Keras' short spellings of the functions.
mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
mape = MAPE = mean_absolute_percentage_error
msle = MSLE = mean_squared_logarithmic_error
kld = KLD = kl_divergence
bce = BCE = binary_crossentropy

_CLASSES = (
    Loss, LossFunctionWrapper, KLDivergence, Poisson, BinaryCrossentropy, BinaryFocalCrossentropy,
    CategoricalCrossentropy, CategoricalFocalCrossentropy, CategoricalGeneralizedCrossEntropy,
    SparseCategoricalCrossentropy, MeanSquaredError, MeanAbsoluteError, MeanAbsolutePercentageError,
    MeanSquaredLogarithmicError, CosineSimilarity, LogCosh, Huber, Hinge, SquaredHinge, CategoricalHinge, Dice,
    Tversky, Circle, CTC,
)
_FUNCTIONS = (
    kl_divergence, poisson, binary_crossentropy, binary_focal_crossentropy, categorical_crossentropy,
    categorical_focal_crossentropy, categorical_generalized_cross_entropy, sparse_categorical_crossentropy,
    mean_squared_error, mean_absolute_error, mean_absolute_percentage_error, mean_squared_logarithmic_error,
    cosine_similarity, log_cosh, huber, hinge, squared_hinge, categorical_hinge, dice, tversky, circle, ctc,
)
ALL_OBJECTS, serialize, deserialize, get = serialization.catalog(
    "loss", _CLASSES, Loss, functions=_FUNCTIONS, snake_case=False, aliases={
        "bce": bce, "BCE": bce, "kld": kld, "KLD": kld, "mae": mae, "MAE": mae, "mse": mse, "MSE": mse,
        "mape": mape, "MAPE": mape, "msle": msle, "MSLE": msle,
    })

__all__ = [
    "Loss", "LossFunctionWrapper", "reduce_weighted_values", "squeeze_or_expand_to_same_rank",
    *(cls.__name__ for cls in _CLASSES[2:]),
    *(fn.__name__ for fn in _FUNCTIONS),
    "mse", "MSE", "mae", "MAE", "mape", "MAPE", "msle", "MSLE", "kld", "KLD", "bce", "BCE",
    "serialize", "deserialize", "get", "ALL_OBJECTS",
]
