"""The weights file walk keeps every container it has seen alive until it ends. Properties such as
``model.layers`` build a new list per read; once the walk dropped such a list, CPython could give its id to
the next list it made, and a walk remembering ids alone skipped that list as already seen, leaving its
layers out of the file (``test_merge_of_branch_models`` failed so, now and then)."""

import weakref

import numpy as np

import lamina
from lamina import layers
from lamina.saving import weights_h5


class _View(list):
    """A list that can be weakly referenced, to see when the walk lets it go."""


class ThreeViews(layers.Layer):
    """Three sublayers, reached first through properties that return a new list per read."""

    def __init__(self):
        super().__init__()
        self._parts = [layers.Dense(2), layers.Dense(3), layers.Dense(4)]
        self.issued, self.freed_before_the_next = [], []

    def _view(self, index):
        self.freed_before_the_next.append(sum(ref() is None for ref in self.issued))
        view = _View([self._parts[index]])
        self.issued.append(weakref.ref(view))
        return view

    first_view = property(lambda self: self._view(0))
    second_view = property(lambda self: self._view(1))
    third_view = property(lambda self: self._view(2))

    def build(self, input_shape):
        for dense in self._parts:
            dense.build(input_shape)

    def call(self, x):
        return lamina.ops.concatenate([dense(x) for dense in self._parts], axis=-1)


def test_the_walk_keeps_temporary_lists_alive(engine):
    block = ThreeViews()
    block.build((None, 5))
    paths = [path for path, layer in weights_h5._walk(block, "", {}) if layer._trainable_variables]
    assert paths == ["first_view/dense", "second_view/dense", "third_view/dense"]
    assert block.freed_before_the_next == [0, 0, 0]  # no id of a list seen could be reused during the walk


def test_layers_behind_temporary_lists_round_trip(engine, rng, tmp_path):
    model = lamina.Sequential([lamina.Input((5,)), ThreeViews()])
    model.save_weights(tmp_path / "m.weights.h5")
    copy = lamina.Sequential([lamina.Input((5,)), ThreeViews()])
    copy.load_weights(tmp_path / "m.weights.h5")
    x = rng.normal(size=(2, 5)).astype("float32")
    np.testing.assert_allclose(lamina.backend.convert_to_numpy(copy(x)), lamina.backend.convert_to_numpy(model(x)),
                               rtol=1e-6)
