import numpy as np

from lamina import activations
from layer_cases import floats

CASES = {
    "Dense": (dict(units=3, activation="relu", kernel_regularizer="l2"), lambda: floats(2, 4)),
    "EinsumDense": (dict(equation="abc,cde->abde", output_shape=(None, 2, 3), bias_axes="de", lora_rank=2),
                    lambda: floats(2, 5, 4)),
    "Embedding": (dict(input_dim=10, output_dim=3, mask_zero=True), lambda: np.array([[1, 2, 0]], "int32")),
    "Identity": (dict(), lambda: floats(2, 4)),
    "Lambda": (dict(function=activations.relu), lambda: floats(2, 4)),
    "Masking": (dict(mask_value=0.5), lambda: floats(2, 3, 4)),
}
