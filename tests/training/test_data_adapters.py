"""EpochIterator and the data adapters: batches against NumPy slicing, streams, class weights, errors."""

import warnings

import numpy as np
import pytest

from lamina.training.data_adapters import train_validation_split
from lamina.training.epoch_iterator import EpochIterator
from lamina.utils.py_dataset import PyDataset
from tests.conftest import to_numpy


def _epoch(iterator):
    return [tuple(_host(part) for part in batch) for _, batch in iterator.enumerate_epoch()]


def _host(structure):
    if structure is None:
        return None
    if isinstance(structure, dict):
        return {key: _host(value) for key, value in structure.items()}
    if isinstance(structure, (list, tuple)):
        return type(structure)(_host(value) for value in structure)
    return to_numpy(structure)


@pytest.fixture
def arrays(rng):
    x = rng.normal(size=(10, 3)).astype("float32")
    y = rng.integers(0, 4, size=(10,))
    w = rng.uniform(size=(10,))
    return x, y, w


# -- arrays ---------------------------------------------------------------------------------------
def test_arrays_in_order_with_partial_last_batch(engine, arrays):
    x, y, w = arrays
    iterator = EpochIterator(x, y, w, batch_size=4)
    assert iterator.num_batches == 3
    batches = _epoch(iterator)
    assert [len(b[0]) for b in batches] == [4, 4, 2]
    for i, (bx, by, bw) in enumerate(batches):
        np.testing.assert_array_equal(bx, x[i * 4:(i + 1) * 4])
        np.testing.assert_array_equal(by, y[i * 4:(i + 1) * 4])
        np.testing.assert_array_equal(bw, w[i * 4:(i + 1) * 4])
    assert batches[0][0].dtype == np.float32 and batches[0][2].dtype == np.float64  # dtypes kept


def test_x_only_and_default_batch_size(engine):
    x = np.arange(70, dtype="float64")[:, None]
    iterator = EpochIterator(x)
    batches = _epoch(iterator)
    assert [len(b[0]) for b in batches] == [32, 32, 6]
    assert batches[0][1] is None and batches[0][2] is None
    np.testing.assert_array_equal(np.concatenate([b[0] for b in batches]), x)


@pytest.mark.parametrize("shuffle", [True, "batch"])
def test_shuffle_covers_every_sample_once_per_epoch(engine, shuffle):
    x = np.arange(23, dtype="float32")[:, None] * np.ones((1, 2), "float32")
    y = np.arange(23)
    iterator = EpochIterator(x, y, batch_size=5, shuffle=shuffle)
    orders = []
    for _ in range(3):
        batches = _epoch(iterator)
        assert [len(b[1]) for b in batches] == [5, 5, 5, 5, 3]
        order = np.concatenate([b[1] for b in batches])
        np.testing.assert_array_equal(np.sort(order), y)  # a permutation of all samples
        np.testing.assert_array_equal(np.concatenate([b[0][:, 0] for b in batches]), order)  # x and y aligned
        if shuffle == "batch":  # whole chunks move together; the partial chunk stays last
            for b in batches[:-1]:
                assert len(set(b[1] // 5)) == 1
            assert set(batches[-1][1]) == {20, 21, 22}
        orders.append(order)
    assert any(not np.array_equal(orders[0], o) for o in orders[1:])


def test_dict_and_list_structures(engine, arrays):
    x, y, w = arrays
    x2 = np.arange(10)
    iterator = EpochIterator({"a": x, "b": x2}, [y, x2 * 2.0], batch_size=6)
    (bx, by, _), (cx, cy, _) = _epoch(iterator)
    assert set(bx) == {"a", "b"} and isinstance(by, list)
    np.testing.assert_array_equal(cx["a"], x[6:])
    np.testing.assert_array_equal(cx["b"], x2[6:])
    np.testing.assert_array_equal(cy[0], y[6:])
    np.testing.assert_array_equal(cy[1], x2[6:] * 2.0)


def test_python_lists_and_engine_tensors(engine):
    from lamina import backend

    x = backend.convert_to_tensor(np.arange(6, dtype="float32").reshape(3, 2))
    batches = _epoch(EpochIterator(x, [0, 1, 2], batch_size=2))
    np.testing.assert_array_equal(batches[1][0], [[4.0, 5.0]])
    np.testing.assert_array_equal(batches[0][1], [0, 1])


def test_pandas(engine):
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"a": np.arange(5.0), "b": np.arange(5.0) * 10})
    series = pd.Series(np.arange(5) % 2)
    batches = _epoch(EpochIterator(frame, series, batch_size=3))
    np.testing.assert_array_equal(batches[0][0], frame.to_numpy()[:3])
    np.testing.assert_array_equal(batches[1][1], series.to_numpy()[3:])


def test_steps_per_epoch_with_arrays_restarts_each_epoch(engine, arrays):
    x, y, _ = arrays
    iterator = EpochIterator(x, y, batch_size=3, steps_per_epoch=2)
    assert iterator.num_batches == 2
    for _ in range(2):
        batches = _epoch(iterator)
        np.testing.assert_array_equal(np.concatenate([b[1] for b in batches]), y[:6])


def test_validation_split_takes_the_last_fraction(engine, arrays):
    x, y, w = arrays
    (tx, ty, tw), (vx, vy, vw) = train_validation_split(({"a": x}, y, w), validation_split=0.3)
    np.testing.assert_array_equal(tx["a"], x[:7])
    np.testing.assert_array_equal(vx["a"], x[7:])
    np.testing.assert_array_equal(ty, y[:7])
    np.testing.assert_array_equal(vw, w[7:])
    (tx, ty, tw), (vx, vy, vw) = train_validation_split((x, None, None), 0.5)
    assert ty is None and vw is None and len(vx) == 5


def test_validation_split_errors(engine, arrays):
    with pytest.raises(ValueError, match="only supported for NumPy arrays.*generator"):
        train_validation_split(((b for b in []), None, None), 0.2)
    with pytest.raises(ValueError, match="too few to split"):
        train_validation_split((np.zeros((1, 1)), None, None), 0.1)
    with pytest.raises(ValueError, match="between 0 and 1"):
        train_validation_split((np.zeros((5, 1)), None, None), 1.5)


# -- streams --------------------------------------------------------------------------------------
def _generator(count, with_y=True):
    for i in range(count):
        x = np.full((2, 3), i, dtype="float32")
        yield (x, np.array([i, i])) if with_y else (x,)


def test_generator_without_steps_runs_to_its_end(engine):
    iterator = EpochIterator(_generator(5))
    assert iterator.num_batches is None
    batches = _epoch(iterator)
    assert [int(b[1][0]) for b in batches] == [0, 1, 2, 3, 4]
    assert iterator.exhausted
    with pytest.warns(UserWarning, match="ran out of data"):
        assert _epoch(iterator) == []


def test_generator_with_steps_continues_across_epochs(engine):
    iterator = EpochIterator(_generator(5, with_y=False), steps_per_epoch=2)
    first, second = _epoch(iterator), _epoch(iterator)
    assert [b[0][0, 0] for b in first] == [0, 1] and [b[0][0, 0] for b in second] == [2, 3]
    assert first[0][1] is None and not iterator.exhausted
    with pytest.warns(UserWarning, match="ran out of data"):
        third = _epoch(iterator)
    assert [b[0][0, 0] for b in third] == [4] and iterator.exhausted


def test_generator_yielding_bare_x_and_sample_weights(engine):
    def gen():
        yield np.ones((2, 1))
        yield [np.zeros((3, 1)), np.arange(3), np.full(3, 0.5)]

    (bx, by, bw), (cx, cy, cw) = _epoch(EpochIterator(gen()))
    assert bx.shape == (2, 1) and by is None and bw is None
    np.testing.assert_array_equal(cy, [0, 1, 2])
    np.testing.assert_array_equal(cw, [0.5, 0.5, 0.5])


class Squares(PyDataset):
    def __init__(self, batches=4, **kwargs):
        super().__init__(**kwargs)
        self.batches, self.epochs_ended, self.offset = batches, 0, 0

    def __len__(self):
        return self.batches

    def __getitem__(self, index):
        x = np.arange(index * 2, index * 2 + 2, dtype="float32")[:, None] + self.offset
        return x, x**2

    def on_epoch_end(self):
        self.epochs_ended += 1
        self.offset += 100


@pytest.mark.parametrize("workers", [1, 3])
def test_py_dataset_with_on_epoch_end(engine, workers):
    dataset = Squares(workers=workers, max_queue_size=2)
    iterator = EpochIterator(dataset)
    assert iterator.num_batches == 4
    first = _epoch(iterator)
    np.testing.assert_array_equal(np.concatenate([b[0] for b in first])[:, 0], np.arange(8))
    np.testing.assert_array_equal(first[2][1], first[2][0] ** 2)
    second = _epoch(iterator)
    assert dataset.epochs_ended == 2
    np.testing.assert_array_equal(np.concatenate([b[0] for b in second])[:, 0], np.arange(8) + 100)


def test_py_dataset_with_steps_continues_then_starts_over(engine):
    dataset = Squares(batches=3)
    iterator = EpochIterator(dataset, steps_per_epoch=2)
    first, second = _epoch(iterator), None
    with pytest.warns(UserWarning, match="ran out of data"):  # as Keras: the short epoch ends at the data's end
        second = _epoch(iterator)
    third = _epoch(iterator)
    assert [[b[0][0, 0] for b in epoch] for epoch in (first, second, third)] == [[0, 2], [104], [200, 202]]
    assert dataset.epochs_ended == 3 and not iterator.exhausted


def test_py_dataset_defaults_without_super_init():
    class Bare(PyDataset):
        def __getitem__(self, index):
            return np.zeros((1, 1))

    bare = Bare()
    assert (bare.workers, bare.use_multiprocessing, bare.max_queue_size, bare.num_batches) == (1, False, 10, None)
    with pytest.raises(ValueError, match="workers"):
        PyDataset(workers=0)


@pytest.mark.engines("torch")
def test_torch_data_loader(engine):
    import torch

    dataset = torch.utils.data.TensorDataset(torch.arange(10.0)[:, None], torch.arange(10))
    loader = torch.utils.data.DataLoader(dataset, batch_size=4)
    iterator = EpochIterator(loader)
    assert iterator.num_batches == 3
    for _ in range(2):  # a loader is re-read every epoch
        batches = _epoch(iterator)
        np.testing.assert_array_equal(np.concatenate([b[1] for b in batches]), np.arange(10))
        assert batches[2][0].shape == (2, 1)


# -- class weights --------------------------------------------------------------------------------
CLASS_WEIGHT = {0: 0.5, 2: 3.0, 3: 7.0}


def _expected(labels):
    return np.array([CLASS_WEIGHT.get(int(label), 1.0) for label in labels], dtype="float32")


def test_class_weight_integer_labels(engine, arrays):
    x, y, w = arrays
    for targets in (y, y[:, None].astype("float32")):
        batches = _epoch(EpochIterator(x, targets, batch_size=4, class_weight=CLASS_WEIGHT))
        np.testing.assert_allclose(np.concatenate([b[2] for b in batches]), _expected(y))
    batches = _epoch(EpochIterator(x, y, w, batch_size=4, class_weight=CLASS_WEIGHT))  # times sample_weight
    np.testing.assert_allclose(np.concatenate([b[2] for b in batches]), _expected(y) * w, rtol=1e-6)


def test_class_weight_one_hot_takes_the_argmax(engine, arrays):
    x, y, _ = arrays
    one_hot = np.eye(4, dtype="float32")[y]
    batches = _epoch(EpochIterator(x, one_hot, batch_size=4, shuffle=True, class_weight=CLASS_WEIGHT))
    labels = np.concatenate([b[1].argmax(-1) for b in batches])
    np.testing.assert_allclose(np.concatenate([b[2] for b in batches]), _expected(labels))


def test_class_weight_multi_label_is_elementwise(engine, rng):
    x = rng.normal(size=(6, 2)).astype("float32")
    targets = np.array([[1, 1, 0, 0], [0, 0, 0, 0], [1, 0, 0, 0], [0, 1, 1, 1], [0, 0, 1, 0], [1, 0, 0, 1]],
                       dtype="float32")
    w = np.arange(1.0, 7.0)
    batches = _epoch(EpochIterator(x, targets, w, batch_size=4, class_weight=CLASS_WEIGHT))
    per_label = np.array([CLASS_WEIGHT.get(j, 1.0) for j in range(4)])
    weights = np.concatenate([b[2] for b in batches])
    assert weights.shape == (6, 4)
    np.testing.assert_allclose(weights, w[:, None] * per_label[None, :], rtol=1e-6)


def test_class_weight_per_batch_for_generators(engine):
    def gen():
        yield np.zeros((2, 1)), np.array([0, 3])  # labels
        yield np.zeros((2, 1)), np.array([[0, 0, 1], [1, 0, 0]])  # one-hot
        yield np.zeros((2, 1)), np.array([[1, 0, 1], [0, 0, 0]])  # multi-label

    weights = [b[2] for b in _epoch(EpochIterator(gen(), class_weight=CLASS_WEIGHT))]
    np.testing.assert_allclose(weights[0], [0.5, 7.0])
    np.testing.assert_allclose(weights[1], [3.0, 0.5])
    np.testing.assert_allclose(weights[2], [[0.5, 1.0, 3.0]] * 2)


def test_class_weight_per_output(engine, arrays):
    x, y, w = arrays
    other = np.eye(4, dtype="float32")[(y + 1) % 4]
    class_weight = {"second": {1: 4.0}}
    batches = _epoch(EpochIterator(x, [y, other], w, batch_size=5, class_weight=class_weight,
                                   output_names=["first", "second"]))
    first = np.concatenate([b[2][0] for b in batches])
    second = np.concatenate([b[2][1] for b in batches])
    np.testing.assert_allclose(first, w)  # no class weights: the shared sample weights
    np.testing.assert_allclose(second, w * np.where((y + 1) % 4 == 1, 4.0, 1.0), rtol=1e-6)
    batches = _epoch(EpochIterator(x, {"a": y, "b": other}, batch_size=10, class_weight={"a": CLASS_WEIGHT}))
    np.testing.assert_allclose(batches[0][2]["a"], _expected(y))
    assert batches[0][2]["b"] is None


def test_class_weight_errors(engine, arrays):
    x, y, _ = arrays
    with pytest.raises(ValueError, match=r"outputs the model doesn't have: \['c'\].*\['a', 'b'\]"):
        EpochIterator(x, {"a": y, "b": y}, class_weight={"c": {0: 1.0}})
    with pytest.raises(ValueError, match="must map output names"):
        EpochIterator(x, [y, y], class_weight={0: 1.0}, output_names=["a", "b"])
    with pytest.raises(ValueError, match="output names for list targets"):
        EpochIterator(x, [y, y], class_weight={"a": {0: 1.0}})
    with pytest.raises(ValueError, match="shape"):
        EpochIterator(x, np.zeros((10, 2, 2)), class_weight={0: 1.0})


# -- errors ---------------------------------------------------------------------------------------
def test_mismatched_sample_counts_name_the_arrays(engine, arrays):
    x, y, w = arrays
    with pytest.raises(ValueError, match="x sizes: 10, y sizes: 9"):
        EpochIterator(x, y[:9])
    with pytest.raises(ValueError, match=r"x sizes: \[10, 8\]"):
        EpochIterator([x, x[:8]], y)
    with pytest.raises(ValueError, match="sample_weight sizes: 7"):
        EpochIterator(x, y, w[:7])


def test_unsupported_inputs(engine, arrays):
    x, y, _ = arrays
    with pytest.raises(TypeError, match="Unrecognized data type.*int"):
        EpochIterator(5)
    with pytest.raises(TypeError, match="Unsupported data type in `x`.*str"):
        EpochIterator([x, "text"], y)
    with pytest.raises(ValueError, match="`y` must not be given when `x` is a generator"):
        EpochIterator(_generator(2), y)
    with pytest.raises(ValueError, match="shuffle"):
        EpochIterator(x, y, shuffle="yes")
    with pytest.raises(ValueError, match="steps_per_epoch"):
        EpochIterator(x, y, steps_per_epoch=0)


def test_steps_beyond_the_arrays_warn(engine, arrays):
    x, y, _ = arrays
    iterator = EpochIterator(x, y, batch_size=4, steps_per_epoch=5)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert len(_epoch(iterator)) == 3
    assert any("ran out of data" in str(w.message) for w in caught) and not iterator.exhausted
