"""Model: a layer that groups layers, with training (``compile``/``fit``/... from ``lamina.training``).

``Model(inputs, outputs)`` builds a functional graph; subclasses define ``call``.
"""

from __future__ import annotations

from lamina.backend.common.symbolic import SymbolicTensor
from lamina.layers.layer import Layer
from lamina.layers.shapes import as_shape_structure, map_shapes
from lamina.models import file_formats
from lamina.ops.operation import no_graph_recording
from lamina.training.trainer import Trainer


def _is_functional_signature(args, kwargs) -> bool:
    return ("inputs" in kwargs and "outputs" in kwargs) or (len(args) == 2 and "outputs" not in kwargs) or (
        len(args) == 1 and "outputs" in kwargs
    )


class Model(Trainer, Layer):
    """A group of layers with training and inference features.

    Two ways to make one:
        - functional: ``Model(inputs=Input(...), outputs=...)`` (returns a ``Functional`` model);
        - subclassing: define the layers in ``__init__`` and the forward pass in ``call``.
    """

    def __new__(cls, *args, **kwargs):
        if cls is Model and _is_functional_signature(args, kwargs):
            from lamina.models.functional import Functional  # Functional subclasses Model

            return Functional.__new__(Functional, *args, **kwargs)
        return super().__new__(cls, *args, **kwargs)

    def __init__(self, *args, **kwargs):
        if args:
            raise TypeError(f"{type(self).__name__}.__init__() takes keyword arguments only. Received: {args}")
        super().__init__(**kwargs)

    @property
    def layers(self) -> list:
        return list(self._layers)

    def build(self, input_shape=None):
        """Build a subclassed model's layers by running ``call`` on symbolic inputs of ``input_shape``."""
        if input_shape is None:
            return
        inputs = map_shapes(lambda shape: SymbolicTensor(shape, self.compute_dtype), as_shape_structure(input_shape))
        with no_graph_recording():
            self.call(inputs)

    def get_layer(self, name=None, index=None):
        """The layer with ``name``, or at ``index`` in ``layers``."""
        if index is not None and name is not None:
            raise ValueError(f"Provide only a layer name or a layer index. Received: index={index}, name={name}.")
        if index is not None:
            if len(self.layers) <= index:
                raise ValueError(
                    f"Was asked to retrieve layer at index {index} but model only has {len(self.layers)} layers."
                )
            return self.layers[index]
        if name is not None:
            for layer in self.layers:
                if layer.name == name:
                    return layer
            raise ValueError(
                f"No such layer: {name}. Existing layers are: {[layer.name for layer in self.layers]}."
            )
        raise ValueError("Provide either a layer name or layer index at `get_layer`.")

    def summary(self, line_length=None, positions=None, print_fn=None, expand_nested=False, show_trainable=False,
                layer_range=None):
        """Print a table of the layers, their output shapes and parameter counts."""
        from lamina.models.summary import print_summary

        print_summary(self, line_length=line_length, positions=positions, print_fn=print_fn,
                      expand_nested=expand_nested, show_trainable=show_trainable, layer_range=layer_range)

    def get_config(self) -> dict:
        """A subclass's constructor arguments; raises unless they are plain JSON values (or this is overridden)."""
        from lamina.models.functional_config import model_get_config

        return model_get_config(self)

    def to_json(self, **kwargs) -> str:
        """The model's config as a Keras 3 JSON string (``kwargs`` go to ``json.dumps``)."""
        return file_formats.get("model_to_json")(self, **kwargs)

    def to_yaml(self, **kwargs) -> str:
        """The model's config as YAML, the structure of ``to_json`` (Keras 2 had it; ``kwargs`` go to
        ``yaml.safe_dump``)."""
        return file_formats.get("model_to_yaml")(self, **kwargs)

    def save(self, filepath, overwrite: bool = True, **kwargs) -> None:
        """Write the whole model (config, weights, compile arguments, optimizer state): a ``.keras`` zip, or
        the legacy HDF5 layout for ``.h5``/``.hdf5`` names.

        ``kwargs`` go to ``lamina.saving.save_model`` (``zipped=False`` writes a folder,
        ``include_optimizer=False`` leaves the optimizer out of an ``.h5``).
        """
        file_formats.get("save_model")(self, filepath, overwrite=overwrite, **kwargs)

    def save_weights(self, filepath, overwrite: bool = True) -> None:
        """Write all weights: a Keras 3 ``.weights.h5`` file (with built optimizer state), or Keras 2's
        weights-only HDF5 layout for other ``.h5``/``.hdf5`` names."""
        file_formats.get("save_weights")(self, filepath, overwrite=overwrite)

    def load_weights(self, filepath, skip_mismatch: bool = False, by_name: bool = False) -> None:
        """Read weights from a ``.weights.h5`` file (lamina's, Keras 3's) or a legacy HDF5 file (Keras 2).

        Legacy files load by layer order, or with ``by_name=True`` into the layers of the same name.
        ``skip_mismatch=True`` leaves layers whose weights do not fit untouched, with a warning each.
        """
        file_formats.get("load_weights")(self, filepath, skip_mismatch=skip_mismatch, by_name=by_name)
