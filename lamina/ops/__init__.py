"""The public op set, with Keras 3 names: ``lamina.ops.matmul``, ``lamina.ops.nn.relu``, ...

Every op runs eagerly on real tensors through the engine and symbolically on symbolic tensors.
"""

# operators binds Python operators to symbolic tensors; image is reached as ops.image, as in Keras
from lamina.ops import core, einops, image, linalg, math, nn, numpy, operators  # noqa: F401
from lamina.ops.core import *  # noqa: F401,F403
from lamina.ops.einops import *  # noqa: F401,F403
from lamina.ops.linalg import *  # noqa: F401,F403
from lamina.ops.math import *  # noqa: F401,F403
from lamina.ops.nn import *  # noqa: F401,F403
from lamina.ops.numpy import *  # noqa: F401,F403
