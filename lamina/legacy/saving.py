"""Keras 1 and Keras 2 model files: ``model_from_json``, ``model_from_yaml``, ``load_model`` and
``load_weights``, as Keras 1/2 code calls them.

The architecture is translated by ``serialization.keras1_configs`` (Keras 1 -> Keras 2 form -> Keras 3),
then built from lamina's modern classes; each old spelling met warns once. HDF5 files are read by
``saving.legacy_h5`` (safe reading, count and shape checks); this module only supplies how Keras 1 laid out
weights, as Keras 2 converted them on load (``preprocess_weights_for_loading`` of Keras 2.0):

- a weights group without a ``keras_version`` attribute was written by Keras 1 (Keras 2 and later write
  one on every weights group);
- Keras 1's ``LSTM`` kept twelve arrays, ``W``, ``U``, ``b`` per gate in the order i, c, f, o, and ``GRU``
  nine, in the order z, r, h: they are fused into one kernel, recurrent kernel and bias, gates in
  Keras 3's order (i, f, c, o for ``LSTM``);
- Keras 1's ``Convolution1D`` kernel was 4-D, ``(length, 1, channels, filters)`` (before 1.2,
  ``(filters, channels, length, 1)``); ``dim_ordering='th'`` kernels of ``Convolution2D/3D`` were
  ``(filters, channels, *spatial)`` and ``Deconvolution2D``'s ``(channels, filters, rows, cols)`` (``tf``:
  ``(rows, cols, filters, channels)``): they are transposed to Keras 3's ``(*spatial, in, out)`` (``out, in``
  for transposed convolutions);
- a file whose ``backend`` attribute says ``theano`` holds convolution kernels flipped in space (Theano
  convolves, lamina's engines correlate): they are flipped back. Keras 1 files do not record their
  backend, so, as in Keras 2, their kernels are taken as they are.

Weights of ``Bidirectional`` and ``TimeDistributed`` layers are converted as their inner layers'.
"""

from __future__ import annotations

import numpy as np

from lamina import layers
from lamina.legacy.deprecation import warn_old_spelling
from lamina.models.layer_entries import deserialize_layer
from lamina.saving import h5_reading, json_reading, legacy_h5, model_yaml
from lamina.serialization import keras1_arguments, keras1_configs

# Keras 1 array order of each gate's (W, U, b), and the Keras 3 gate order they are fused in.
_GATES = {layers.LSTM: (("i", "c", "f", "o"), ("i", "f", "c", "o")), layers.GRU: (("z", "r", "h"), ("z", "r", "h"))}
_CONVOLUTIONS = (layers.Conv1D, layers.Conv2D, layers.Conv3D, layers.Conv2DTranspose, layers.Conv3DTranspose)
# (class, data format) -> the transpose taking a Keras 1 kernel of the 2-D/3-D convolutions to Keras 3's layout.
_KERNEL_TRANSPOSES = {(layers.Conv2D, "channels_first"): (2, 3, 1, 0),
                      (layers.Conv3D, "channels_first"): (2, 3, 4, 1, 0),
                      (layers.Conv2DTranspose, "channels_first"): (2, 3, 0, 1),
                      (layers.Conv2DTranspose, "channels_last"): (0, 1, 3, 2)}


def _translate(config, stacklevel: int) -> dict:
    """The Keras 3 entry of a Keras 1/2 model config; warns once per old spelling in it."""
    entry, renames = keras1_configs.model_config_from_keras1(config)
    for old, modern in renames:
        warn_old_spelling(old, modern, stacklevel=stacklevel + 1)
    return entry


def _objects(custom_objects: dict | None) -> dict:
    """``custom_objects`` over the Keras 1 classes Keras 3 lacks (``Merge``, ...), which configs name as they
    are. Importing ``lamina.legacy.activations`` registers Keras 1's ``hard_sigmoid`` that configs name."""
    import lamina.legacy.activations  # noqa: F401
    from lamina.legacy import layers as legacy_layers

    keras1 = {name: getattr(legacy_layers, name) for name in keras1_arguments.KERAS1_ONLY
              if hasattr(legacy_layers, name)}
    return {**keras1, **(custom_objects or {})}


def _model_from_config(config, custom_objects: dict | None):
    """A new (untrained) model from a parsed Keras 1/2 model config."""
    return deserialize_layer(_translate(config, stacklevel=4), _objects(custom_objects))


def model_from_json(json_string: str, custom_objects: dict | None = None):
    """A new (untrained) model from the JSON text of Keras 1's or Keras 2's ``model.to_json()``."""
    return _model_from_config(json_reading.loads(json_string, "the model JSON"), custom_objects)


def model_from_yaml(yaml_string: str, custom_objects: dict | None = None):
    """A new (untrained) model from the YAML text of Keras 1's or Keras 2's ``model.to_yaml()``."""
    return _model_from_config(model_yaml.load_yaml_config(yaml_string), custom_objects)


# -- weights -------------------------------------------------------------------------------------------
def _fused(arrays: list, gates: tuple) -> list:
    """Keras 1's per-gate ``[W_1, U_1, b_1, W_2, ...]`` (gates in ``gates[0]``'s order) as Keras 3's
    ``[kernel, recurrent_kernel, bias]``, gates concatenated in ``gates[1]``'s order."""
    saved, modern = gates
    order = [saved.index(gate) for gate in modern]
    return [np.concatenate([arrays[3 * gate + part] for gate in order], axis=-1) for part in range(3)]


def _conv1d_kernel(layer, kernel: np.ndarray) -> np.ndarray:
    """Keras 1's 4-D ``Convolution1D`` kernel as Keras 3's ``(length, channels, filters)``."""
    if kernel.ndim != 4:
        return kernel
    if kernel.shape[:2] != (layer.kernel_size[0], 1) or kernel.shape[3] != layer.filters:
        kernel = np.transpose(kernel, (2, 3, 1, 0))  # Keras 1.0/1.1: (filters, channels, length, 1)
    return kernel[:, 0, :, :]


def _keras1_layout(layer, arrays: list) -> list:
    """A layer's arrays as Keras 1 stored them, in Keras 3's layout."""
    for cls, gates in _GATES.items():
        if isinstance(layer, cls) and len(arrays) == 3 * len(gates[0]):
            return _fused(arrays, gates)
    if isinstance(layer, layers.Conv1D):
        return [_conv1d_kernel(layer, arrays[0]), *arrays[1:]]
    for (cls, data_format), axes in _KERNEL_TRANSPOSES.items():
        if isinstance(layer, cls) and layer.data_format == data_format and arrays[0].ndim == len(axes):
            return [np.transpose(arrays[0], axes), *arrays[1:]]
    return arrays


def _converted(layer, arrays: list, keras1: bool, theano: bool) -> list:
    if isinstance(layer, layers.Bidirectional):
        half = len(arrays) // 2
        return (_converted(layer.forward_layer, arrays[:half], keras1, theano)
                + _converted(layer.backward_layer, arrays[half:], keras1, theano))
    if isinstance(layer, layers.TimeDistributed):
        return _converted(layer.layer, arrays, keras1, theano)
    if keras1:
        arrays = _keras1_layout(layer, arrays)
    if theano and isinstance(layer, _CONVOLUTIONS) and arrays:
        kernel = arrays[0]
        arrays = [np.copy(kernel[(slice(None, None, -1),) * (kernel.ndim - 2)]), *arrays[1:]]
    return arrays


def _convert_weights(layer, stored: list, group) -> list:
    """``legacy_h5``'s hook: a layer's ``[(name, array), ...]`` from a Keras 1/2 file in lamina's layout."""
    version = h5_reading.read_attribute(group, "keras_version")
    keras1 = version is None or str(version).startswith("1")
    theano = h5_reading.read_attribute(group, "backend") == "theano"
    names = [name for name, _ in stored]
    arrays = _converted(layer, [array for _, array in stored], keras1, theano)
    if len(arrays) != len(names):  # fused gates: the arrays are the layer's, numbered
        names = [f"{layer.name}/{index}" for index in range(len(arrays))]
    return list(zip(names, arrays))


def load_weights(model, filepath, by_name: bool = False) -> None:
    """Load the weights of a Keras 1/2 HDF5 file (``save_weights`` or a whole-model file) into ``model``:
    by topological order of the layers holding weights, or with ``by_name`` into the layers of the same
    name. Keras 1's layouts are converted (see the module docstring)."""
    legacy_h5.load_weights(model, filepath, by_name=by_name, convert_weights=_convert_weights)


def load_model(filepath, custom_objects: dict | None = None, compile: bool = True):
    """A model from a whole-model HDF5 file of Keras 1 or Keras 2 (``model.save``): the architecture,
    the weights, and with ``compile`` the compile arguments of its ``training_config``."""

    return legacy_h5.load_model(filepath, _objects(custom_objects), compile=compile,
                                translate_config=lambda config: _translate(config, stacklevel=5),
                                convert_weights=_convert_weights)
