"""Core layers: Input, Dense, Embedding, Lambda, Masking, ..."""

from lamina.layers.core.dense import Dense
from lamina.layers.core.einsum_dense import EinsumDense
from lamina.layers.core.embedding import Embedding
from lamina.layers.core.identity import Identity
from lamina.layers.core.input_layer import Input, InputLayer
from lamina.layers.core.lambda_layer import Lambda
from lamina.layers.core.masking import Masking
from lamina.layers.core.wrapper import Wrapper

__all__ = [
    "Dense", "EinsumDense", "Embedding", "Identity", "Input", "InputLayer", "Lambda", "Masking", "Wrapper",
]
