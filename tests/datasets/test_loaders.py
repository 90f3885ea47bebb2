"""lamina.datasets end to end against a local HTTP server on 127.0.0.1 serving ../shared/datasets (files
byte-identical to Keras' downloads), and small files written here in Keras' formats for the data sets that
are not in shared/ (IMDB sequences, Reuters, CIFAR, California)."""

import gzip
import hashlib
import io
import json
import os
import pickle
import tarfile

import numpy as np
import pytest

import lamina
from lamina.datasets import _fetch
from tests.datasets.local_server import SHARED, serve

pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/datasets is not beside the clone")


@pytest.fixture
def home(tmp_path, monkeypatch):
    """An empty LAMINA_HOME, no offline folder, and an origin that points nowhere until a test serves one."""
    monkeypatch.setenv("LAMINA_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("LAMINA_DATASETS", raising=False)
    monkeypatch.delenv("LAMINA_DATASETS_ORIGIN", raising=False)
    monkeypatch.setattr(_fetch, "ORIGIN", "http://127.0.0.1:9/")  # the discard port: refused, never remote
    return tmp_path / "home" / "datasets"


@pytest.fixture
def server(monkeypatch):
    """Start a local server for a table of files and point the loaders' origin at it."""
    with_servers = []

    def start(files, cut=None):
        context = serve(files, cut)
        running = context.__enter__()
        with_servers.append(context)
        monkeypatch.setattr(_fetch, "ORIGIN", running.url)
        return running

    yield start
    for context in with_servers:
        context.__exit__(None, None, None)


def _sha256(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def _leftovers(folder) -> list:
    return sorted(name for name in os.listdir(folder) if name.startswith(".lamina")) if folder.exists() else []


# -- files byte-identical to Keras' downloads ------------------------------------------------------------------
def test_mnist_downloads_once_verifies_and_reuses_the_cache(engine, home, server):
    served = server({"/mnist.npz": SHARED / "mnist.npz"})
    (x_train, y_train), (x_test, y_test) = lamina.datasets.mnist.load_data()
    assert (x_train.shape, x_train.dtype, y_train.shape, y_train.dtype) == ((60000, 28, 28), np.uint8, (60000,),
                                                                              np.uint8)
    assert (x_test.shape, y_test.shape) == ((10000, 28, 28), (10000,))
    assert y_train[:10].tolist() == [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]  # MNIST's well-known first labels
    assert np.bincount(y_test).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert _sha256(home / "mnist.npz") == _fetch.FILE_HASHES["mnist.npz"]
    lamina.datasets.mnist.load_data()
    assert served.count("mnist.npz") == 1  # the verified cached copy is reused
    assert _leftovers(home) == []


def test_fashion_mnist_uses_its_own_cache_subfolder(engine, home, server):
    names = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
             "t10k-labels-idx1-ubyte.gz"]
    served = server({f"/{name}": SHARED / "fashion-mnist" / name for name in names})
    (x_train, y_train), (x_test, y_test) = lamina.datasets.fashion_mnist.load_data()
    assert (x_train.shape, x_train.dtype, x_test.shape, y_test.dtype) == ((60000, 28, 28), np.uint8,
                                                                          (10000, 28, 28), np.uint8)
    assert np.bincount(y_train).tolist() == [6000] * 10 and np.bincount(y_test).tolist() == [1000] * 10
    assert sorted(os.listdir(home / "fashion-mnist")) == sorted(names)
    assert [served.count(name) for name in names] == [1, 1, 1, 1]


def test_boston_housing_split_matches_keras(engine, home, server):
    server({"/boston_housing.npz": SHARED / "boston_housing.npz"})
    (x_train, y_train), (x_test, y_test) = lamina.datasets.boston_housing.load_data()
    assert (x_train.shape, y_train.shape, x_test.shape, y_test.shape) == ((404, 13), (404,), (102, 13), (102,))
    # Keras' documented first row and targets for the default seed 113.
    np.testing.assert_allclose(x_train[0], [1.23247, 0, 8.14, 0, 0.538, 6.142, 91.7, 3.9769, 4, 307, 21, 396.9,
                                            18.72])
    np.testing.assert_allclose(y_train[:10], [15.2, 42.3, 50, 21.1, 17.7, 18.5, 11.3, 15.6, 15.6, 14.4])
    (x_train, _), (x_test, _) = lamina.datasets.boston_housing.load_data(test_split=0.1, seed=0)
    assert (len(x_train), len(x_test)) == (455, 51)
    with pytest.raises(ValueError, match="test_split"):
        lamina.datasets.boston_housing.load_data(test_split=1.0)


def test_imdb_word_index_is_keras_file(engine, home, server):
    server({"/imdb_word_index.json": SHARED / "imdb_word_index.json"})
    index = lamina.datasets.imdb.get_word_index()
    assert len(index) == 88584 and index["the"] == 1 and index["and"] == 2
    # the same file as the one Keras checks by md5
    assert hashlib.md5(open(home / "imdb_word_index.json", "rb").read()).hexdigest() == \
        "bfafd718b763782e994055a2d397834f"


def test_offline_folder_is_read_without_network_or_writes(engine, home, server, monkeypatch):
    served = server({})
    monkeypatch.setenv("LAMINA_DATASETS", str(SHARED))
    (x_train, _), _ = lamina.datasets.boston_housing.load_data()
    (_, y_train), _ = lamina.datasets.fashion_mnist.load_data()
    assert x_train.shape == (404, 13) and y_train.shape == (60000,)
    assert served.requests == [] and not home.exists()


def test_offline_folder_falls_back_to_download_for_missing_files(engine, home, server, tmp_path, monkeypatch):
    served = server({"/boston_housing.npz": SHARED / "boston_housing.npz"})
    monkeypatch.setenv("LAMINA_DATASETS", str(tmp_path / "empty"))
    lamina.datasets.boston_housing.load_data()
    assert served.count("boston_housing.npz") == 1


def test_corrupt_offline_file_is_reported(engine, home, tmp_path, monkeypatch):
    offline = tmp_path / "offline"
    offline.mkdir()
    (offline / "boston_housing.npz").write_bytes(b"not the data")
    monkeypatch.setenv("LAMINA_DATASETS", str(offline))
    with pytest.raises(ValueError, match="does not have the expected hash"):
        lamina.datasets.boston_housing.load_data()


def test_interrupted_download_leaves_no_file(engine, home, server):
    size = os.path.getsize(SHARED / "mnist.npz")
    served = server({"/mnist.npz": SHARED / "mnist.npz"}, cut={"/mnist.npz": size // 3})
    with pytest.raises(OSError, match="mnist.npz"):
        lamina.datasets.mnist.load_data()
    assert os.listdir(home) == []  # neither the target nor a temporary
    served.cut.clear()
    (x_train, _), _ = lamina.datasets.mnist.load_data()  # the next call starts over and succeeds
    assert x_train.shape == (60000, 28, 28) and served.count("mnist.npz") == 2


def test_wrong_bytes_are_refused_and_not_kept(engine, home, server):
    server({"/boston_housing.npz": (SHARED / "mnist.npz").read_bytes()[:1000]})
    with pytest.raises(ValueError, match="hash"):
        lamina.datasets.boston_housing.load_data()
    assert os.listdir(home) == []


def test_corrupt_cached_file_is_fetched_again(engine, home, server):
    served = server({"/boston_housing.npz": SHARED / "boston_housing.npz"})
    home.mkdir(parents=True)
    (home / "boston_housing.npz").write_bytes(b"truncated")
    (x_train, _), _ = lamina.datasets.boston_housing.load_data()
    assert x_train.shape == (404, 13) and served.count("boston_housing.npz") == 1
    assert _sha256(home / "boston_housing.npz") == _fetch.FILE_HASHES["boston_housing.npz"]


# -- small files in Keras' formats (the real ones are not in shared/) ------------------------------------------
def _object_array(rows):
    array = np.empty(len(rows), dtype=object)
    array[:] = rows
    return array


def _serve_written(server, monkeypatch, name, data: bytes):
    monkeypatch.setitem(_fetch.FILE_HASHES, name, hashlib.sha256(data).hexdigest())
    return server({f"/{name}": data})


def _npz_bytes(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


IMDB_TRAIN = [[1, 5, 2], [7, 7], [3, 1, 1, 9], [4]]
IMDB_TEST = [[2, 2, 2, 2, 2], [6], [8, 1]]


@pytest.fixture
def imdb_file(server, monkeypatch):
    data = _npz_bytes(x_train=_object_array(IMDB_TRAIN), y_train=np.array([1, 0, 1, 0]),
                      x_test=_object_array(IMDB_TEST), y_test=np.array([0, 1, 1]))
    return _serve_written(server, monkeypatch, "imdb.npz", data)


def _keras_order(count, rng):
    order = np.arange(count)
    rng.shuffle(order)
    return order


def test_imdb_encoding_follows_keras(engine, home, imdb_file):
    (x_train, y_train), (x_test, y_test) = lamina.datasets.imdb.load_data()
    rng = np.random.RandomState(113)  # Keras shuffles the training reviews, then the test reviews
    train_order, test_order = _keras_order(4, rng), _keras_order(3, rng)
    assert x_train.dtype == object and y_train.tolist() == [[1, 0, 1, 0][i] for i in train_order]
    # Without num_words Keras bounds the vocabulary by the largest index (9 + 3 = 12), which is itself out
    # of range and becomes the oov mark 2.
    expected = [[1] + [w + 3 if w + 3 < 12 else 2 for w in IMDB_TRAIN[i]] for i in train_order]
    assert x_train.tolist() == expected and 12 not in sum(expected, [])
    assert x_test.tolist() == [[1] + [w + 3 for w in IMDB_TEST[i]] for i in test_order]
    assert y_test.tolist() == [[0, 1, 1][i] for i in test_order]


def test_imdb_vocabulary_limits_and_maxlen(engine, home, imdb_file):
    (x_train, _), (x_test, _) = lamina.datasets.imdb.load_data(num_words=8, skip_top=5, seed=0)
    # indices are ranks + 3 with start mark 1; those outside [5, 8) become the oov mark 2
    for got, raw in zip(x_train, (IMDB_TRAIN[i] for i in _keras_order(4, np.random.RandomState(0)))):
        assert got == [2] + [w + 3 if 5 <= w + 3 < 8 else 2 for w in raw]
    (x_train, _), (x_test, _) = lamina.datasets.imdb.load_data(maxlen=3, oov_char=None, start_char=None,
                                                               index_from=0)
    # reviews of 3 words or more are dropped; without num_words the largest index (9 is dropped; 8) is itself
    # out of range, and oov_char=None removes out-of-range words
    assert sorted(map(len, x_train)) == [1, 2] and len(x_test) == 2
    assert all(8 not in seq for seq in list(x_train) + list(x_test))
    with pytest.raises(ValueError, match="maxlen"):
        lamina.datasets.imdb.load_data(maxlen=1)


def test_reuters_split_and_labels(engine, home, server, monkeypatch):
    rows = [[i + 1] * (i % 4 + 1) for i in range(10)]
    data = _npz_bytes(x=_object_array(rows), y=np.arange(10) % 46)
    _serve_written(server, monkeypatch, "reuters.npz", data)
    (x_train, y_train), (x_test, y_test) = lamina.datasets.reuters.load_data(test_split=0.3)
    order = _keras_order(10, np.random.RandomState(113))
    assert (len(x_train), len(x_test)) == (7, 3)
    assert y_train.tolist() + y_test.tolist() == order.tolist()
    assert x_test.tolist()[-1] == [1] + [w + 3 for w in rows[order[-1]]]
    names = lamina.datasets.reuters.get_label_names()
    assert len(names) == 46 and names[3] == "earn" and names[45] == "lead"


def test_reuters_word_index_md5(engine, home, server, monkeypatch):
    data = json.dumps({"the": 1, "of": 2}).encode()
    monkeypatch.setitem(_fetch.FILE_HASHES, "reuters_word_index.json", hashlib.md5(data).hexdigest())
    server({"/reuters_word_index.json": data})
    assert lamina.datasets.reuters.get_word_index() == {"the": 1, "of": 2}


def _cifar_archive(top: str, members: dict) -> bytes:
    """A tar.gz holding ``top/<name>`` pickles of CIFAR's batch dicts (bytes keys, as Python 2 wrote them)."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, batch in members.items():
            payload = pickle.dumps(batch, protocol=4)
            info = tarfile.TarInfo(f"{top}/{name}")
            info.size = len(payload)
            archive.addfile(info, io.BytesIO(payload))
    return buffer.getvalue()


def _images(count, offset):
    return (np.arange(count * 3072).reshape(count, 3072) + offset).astype("uint8")


def test_cifar10_layout(engine, home, server, monkeypatch):
    members = {f"data_batch_{i}": {b"data": _images(2, i), b"labels": [i, i + 1]} for i in range(1, 6)}
    members["test_batch"] = {b"data": _images(3, 100), b"labels": [7, 8, 9]}
    served = _serve_written(server, monkeypatch, "cifar-10-python.tar.gz",
                            _cifar_archive("cifar-10-batches-py", members))
    (x_train, y_train), (x_test, y_test) = lamina.datasets.cifar10.load_data()
    assert (x_train.shape, x_train.dtype, y_train.shape, y_train.dtype) == ((10, 32, 32, 3), np.uint8, (10, 1),
                                                                              np.uint8)
    assert y_train[:, 0].tolist() == [1, 2, 2, 3, 3, 4, 4, 5, 5, 6] and y_test[:, 0].tolist() == [7, 8, 9]
    first = _images(2, 1)[0]  # a row holds the red plane, then green, then blue (1024 each)
    assert x_train[0, 0, 0].tolist() == [first[0], first[1024], first[2048]]
    lamina.config.set_image_data_format("channels_first")
    (x_train, _), (x_test, _) = lamina.datasets.cifar10.load_data()
    assert x_train.shape == (10, 3, 32, 32) and x_test.shape == (3, 3, 32, 32)
    assert served.count("cifar-10-python.tar.gz") == 1  # extracted once, reused


def test_cifar100_label_modes_and_hostile_pickle(engine, home, server, monkeypatch):
    batch = {b"data": _images(2, 0), b"fine_labels": [42, 99], b"coarse_labels": [3, 19]}
    _serve_written(server, monkeypatch, "cifar-100-python.tar.gz",
                   _cifar_archive("cifar-100-python", {"train": batch, "test": batch}))
    (_, y_fine), _ = lamina.datasets.cifar100.load_data()
    (_, y_coarse), (x_test, _) = lamina.datasets.cifar100.load_data(label_mode="coarse")
    assert y_fine.tolist() == [[42], [99]] and y_coarse.tolist() == [[3], [19]] and x_test.shape == (2, 32, 32, 3)
    with pytest.raises(ValueError, match="label_mode"):
        lamina.datasets.cifar100.load_data(label_mode="medium")
    # a batch that names any callable other than NumPy's array rebuilders is refused, not run
    target = home / "cifar-100-python-target" / "cifar-100-python" / "train"
    target.write_bytes(pickle.dumps({b"data": _images(1, 0), b"labels": [os.getcwd]}))
    with pytest.raises(pickle.UnpicklingError, match="Refusing"):
        lamina.datasets.cifar100.load_data()


def test_california_housing_versions(engine, home, server, monkeypatch):
    x = np.arange(700 * 8, dtype="float32").reshape(700, 8)
    _serve_written(server, monkeypatch, "california_housing.npz", _npz_bytes(x=x, y=x[:, 0] * 2))
    (x_train, y_train), (x_test, _) = lamina.datasets.california_housing.load_data()
    assert (x_train.shape, x_test.shape) == ((560, 8), (140, 8))
    np.testing.assert_array_equal(y_train, x_train[:, 0] * 2)
    (x_train, _), (x_test, _) = lamina.datasets.california_housing.load_data(version="small")
    assert len(x_train) + len(x_test) == 600 and x_train[:, 0].max() < 600 * 8


def test_loaded_data_trains_on_the_engine(engine, home, monkeypatch):
    monkeypatch.setenv("LAMINA_DATASETS", str(SHARED))
    (x_train, y_train), _ = lamina.datasets.boston_housing.load_data()
    x = (x_train - x_train.mean(0)) / x_train.std(0)
    model = lamina.Sequential([lamina.Input((13,)), lamina.layers.Dense(1)])
    model.compile(optimizer=lamina.optimizers.SGD(0.05), loss="mse")
    history = model.fit(x.astype("float32"), y_train.astype("float32"), epochs=3, batch_size=64, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_gzip_idx_reader_checks_its_input(engine, tmp_path):
    bad = tmp_path / "bad.gz"
    bad.write_bytes(gzip.compress(b"\x01\x02\x03\x04rest"))
    with pytest.raises(ValueError, match="IDX"):
        lamina.datasets.fashion_mnist.read_idx(str(bad))
