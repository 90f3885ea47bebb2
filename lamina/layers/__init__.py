"""Layers, grouped as Keras groups them; every public layer class is importable from here."""

from lamina.layers.core.dense import Dense
from lamina.layers.core.input_layer import Input, InputLayer
from lamina.layers.input_spec import InputSpec
from lamina.layers.layer import Layer
