"""lamina: a deep-learning library in the Keras tradition, on PyTorch and JAX.

``import lamina as keras`` offers Keras 3's top-level names: ``keras.Input``, ``keras.Model``,
``keras.Sequential``, ``keras.layers``, ``keras.ops``, ...
"""

from lamina import (  # noqa: F401
    activations,
    backend,
    callbacks,
    config,
    constraints,
    datasets,
    dtype_policies,
    initializers,
    layers,
    legacy,
    losses,
    metrics,
    models,
    ops,
    optimizers,
    random,
    regularizers,
    saving,
    text,
    tree,
    utils,
)
from lamina.backend import KerasTensor, StatelessScope, Variable, name_scope  # noqa: F401
from lamina.dtype_policies import DTypePolicy, FloatDTypePolicy  # noqa: F401
from lamina.initializers import Initializer  # noqa: F401
from lamina.layers import Input, InputSpec, Layer  # noqa: F401
from lamina.losses import Loss  # noqa: F401
from lamina.metrics import Metric  # noqa: F401
from lamina.models import Model, Sequential  # noqa: F401
from lamina.optimizers import Optimizer  # noqa: F401
from lamina.regularizers import Regularizer  # noqa: F401

# ``keras.config`` also offers the global dtype policy; config.py sits below dtype_policies, so the two
# functions are attached here, where both floors are loaded.
config.dtype_policy = dtype_policies.dtype_policy
config.set_dtype_policy = dtype_policies.set_dtype_policy

__version__ = "0.1.0"


def version() -> str:
    return __version__
