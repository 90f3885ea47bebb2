"""Merging layers: Add, Subtract, Multiply, Average, Maximum, Minimum, Concatenate, Dot."""

from lamina.layers.merging.add import Add, add
from lamina.layers.merging.average import Average, average
from lamina.layers.merging.concatenate import Concatenate, concatenate
from lamina.layers.merging.dot import Dot, dot
from lamina.layers.merging.maximum import Maximum, maximum
from lamina.layers.merging.minimum import Minimum, minimum
from lamina.layers.merging.multiply import Multiply, multiply
from lamina.layers.merging.subtract import Subtract, subtract

__all__ = [
    "Add", "add", "Average", "average", "Concatenate", "concatenate", "Dot", "dot", "Maximum", "maximum",
    "Minimum", "minimum", "Multiply", "multiply", "Subtract", "subtract",
]
