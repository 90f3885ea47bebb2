"""get_file against a local HTTP server on 127.0.0.1, and the dataset builders (text and image folders,
timeseries windows, split_dataset) checked by hand and trained on with fit on the running engine."""

import hashlib
import io
import os
import tarfile
import zipfile

import numpy as np
import pytest
from PIL import Image

import lamina
from lamina.utils import (
    get_file,
    image_dataset_from_directory,
    split_dataset,
    text_dataset_from_directory,
    timeseries_dataset_from_array,
)
from tests.datasets.local_server import SHARED, serve


# -- get_file ---------------------------------------------------------------------------------------------------
def _tar_gz(members: dict) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, payload in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(payload)
            archive.addfile(info, io.BytesIO(payload))
    return buffer.getvalue()


def _zip(members: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, payload in members.items():
            archive.writestr(name, payload)
    return buffer.getvalue()


def test_get_file_downloads_verifies_and_caches(engine, tmp_path):
    payload = b"lamina" * 1000
    with serve({"/data.bin": payload}) as server:
        path = get_file(origin=server.url + "data.bin", file_hash=hashlib.sha256(payload).hexdigest(),
                        cache_dir=str(tmp_path))
        assert path == str(tmp_path / "datasets" / "data.bin") and open(path, "rb").read() == payload
        # md5 (by length, or the deprecated md5_hash) is checked too, and the cached copy is reused
        get_file("data.bin", server.url + "data.bin", md5_hash=hashlib.md5(payload).hexdigest(),
                 cache_dir=str(tmp_path))
        assert server.count("data.bin") == 1
        get_file("data.bin", server.url + "data.bin", cache_dir=str(tmp_path), force_download=True)
        assert server.count("data.bin") == 2
        with pytest.raises(OSError, match="404"):
            get_file("missing.bin", server.url + "missing.bin", cache_dir=str(tmp_path))
        with pytest.raises(ValueError, match="Paths are not accepted"):
            get_file("sub/data.bin", server.url + "data.bin", cache_dir=str(tmp_path))
    assert sorted(os.listdir(tmp_path / "datasets")) == ["data.bin"]


def test_get_file_defaults_to_lamina_home(engine, tmp_path, monkeypatch):
    monkeypatch.setenv("LAMINA_HOME", str(tmp_path / "home"))
    with serve({"/a.txt": b"x"}) as server:
        path = get_file(origin=server.url + "a.txt", cache_subdir="mine")
    assert path == str(tmp_path / "home" / "mine" / "a.txt")


def test_get_file_extracts_tar_and_zip(engine, tmp_path):
    files = {"folder/a.txt": b"first", "folder/b.txt": b"second"}
    with serve({"/pack.tar.gz": _tar_gz(files), "/pack.zip": _zip(files)}) as server:
        # a name without a dot names the extraction folder; with a dot, the folder is <stem>_extracted
        folder = get_file("pack", server.url + "pack.tar.gz", extract=True, cache_dir=str(tmp_path))
        assert folder == str(tmp_path / "datasets" / "pack")
        assert open(os.path.join(folder, "folder", "b.txt"), "rb").read() == b"second"
        folder = get_file("pack.zip", server.url + "pack.zip", extract=True, cache_dir=str(tmp_path))
        assert folder == str(tmp_path / "datasets" / "pack_extracted")
        assert sorted(os.listdir(os.path.join(folder, "folder"))) == ["a.txt", "b.txt"]


@pytest.mark.parametrize("make", [_tar_gz, _zip])
def test_get_file_refuses_archives_that_escape(engine, tmp_path, make):
    with serve({"/evil": make({"good.txt": b"ok", "../escaped.txt": b"bad"})}) as server:
        with pytest.raises(ValueError, match="outside the extraction folder"):
            get_file("evil", server.url + "evil", extract=True, cache_dir=str(tmp_path))
    assert not (tmp_path / "datasets" / "escaped.txt").exists() and not (tmp_path / "escaped.txt").exists()
    assert not (tmp_path / "datasets" / "evil").exists()  # nothing half extracted


def test_get_file_interrupted_download_leaves_nothing(engine, tmp_path):
    payload = os.urandom(200_000)
    with serve({"/big.bin": payload}, cut={"/big.bin": 50_000}) as server:
        with pytest.raises(OSError, match="50000 of 200000 bytes"):
            get_file(origin=server.url + "big.bin", cache_dir=str(tmp_path))
    assert os.listdir(tmp_path / "datasets") == []


# -- text_dataset_from_directory --------------------------------------------------------------------------------
@pytest.fixture
def text_folder(tmp_path):
    texts = {"neg": ["bad film", "awful", "dull plot"], "pos": ["great", "loved it", "superb acting", "fun"]}
    for label, items in texts.items():
        (tmp_path / label).mkdir()
        for i, text in enumerate(items):
            (tmp_path / label / f"{i}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "pos" / "notes.md").write_text("ignored: not a .txt file")
    return tmp_path, texts


def test_text_dataset_sorted_with_labels(engine, text_folder):
    folder, texts = text_folder
    dataset = text_dataset_from_directory(str(folder), batch_size=4, shuffle=False, verbose=False)
    assert dataset.class_names == ["neg", "pos"] and len(dataset) == 2
    x, y = dataset[0]
    assert x.dtype == object and x.tolist() == ["bad film", "awful", "dull plot", "great"]
    assert y.dtype == np.int32 and y.tolist() == [0, 0, 0, 1]
    x, y = dataset[1]
    assert x.tolist() == ["loved it", "superb acting", "fun"] and y.tolist() == [1, 1, 1]


def test_text_dataset_label_modes_and_options(engine, text_folder):
    folder, _ = text_folder
    _, y = text_dataset_from_directory(str(folder), label_mode="binary", shuffle=False, verbose=False)[0]
    assert y.dtype == np.float32 and y.shape == (7, 1) and y[:, 0].tolist() == [0, 0, 0, 1, 1, 1, 1]
    _, y = text_dataset_from_directory(str(folder), label_mode="categorical", shuffle=False, verbose=False)[0]
    np.testing.assert_array_equal(y[2:4], [[1, 0], [0, 1]])
    # class_names picks and orders the classes; max_length cuts texts
    x, y = text_dataset_from_directory(str(folder), class_names=["pos"], max_length=4, shuffle=False,
                                       verbose=False)[0]
    assert x.tolist() == ["grea", "love", "supe", "fun"] and y.tolist() == [0, 0, 0, 0]
    texts_only = text_dataset_from_directory(str(folder), labels=None, batch_size=None, shuffle=False, verbose=False)
    assert len(texts_only) == 7 and texts_only[1] == "awful"
    explicit = text_dataset_from_directory(str(folder), labels=[5, 5, 5, 5, 6, 6, 6], shuffle=False, verbose=False)
    assert explicit.class_names == ["5", "6"] and explicit[0][1].tolist() == [5, 5, 5, 5, 6, 6, 6]
    with pytest.raises(ValueError, match="exactly 2"):
        text_dataset_from_directory(str(folder), class_names=["pos"], label_mode="binary", verbose=False)


def test_text_dataset_validation_split_is_disjoint_and_seeded(engine, text_folder):
    folder, texts = text_folder
    train, val = text_dataset_from_directory(str(folder), batch_size=2, validation_split=0.3, subset="both",
                                             seed=7, verbose=False)
    assert len(val.file_paths) == int(0.3 * 7) and len(train.file_paths) == 7 - int(0.3 * 7)
    assert not set(train.file_paths) & set(val.file_paths)
    seen = [text for i in range(len(train)) for text in train[i][0]] + [t for i in range(len(val)) for t in val[i][0]]
    assert sorted(seen) == sorted(sum(texts.values(), []))
    again = text_dataset_from_directory(str(folder), validation_split=0.3, subset="validation", seed=7,
                                        verbose=False)
    assert sorted(again.file_paths) == sorted(val.file_paths)
    with pytest.raises(ValueError, match="seed"):
        text_dataset_from_directory(str(folder), validation_split=0.3, subset="training", verbose=False)


def test_text_dataset_reshuffles_each_epoch(engine, text_folder):
    folder, _ = text_folder
    dataset = text_dataset_from_directory(str(folder), batch_size=7, seed=3, verbose=False)
    first = dataset[0][0].tolist()
    dataset.on_epoch_end()
    second = dataset[0][0].tolist()
    assert sorted(first) == sorted(second) and first != second


def test_text_dataset_on_the_aclimdb_layout(engine, tmp_path):
    """A slice of the real Large Movie Review Dataset, in its own folder layout (train/{neg,pos}/<id>_<rating>)."""
    archive_path = SHARED / "aclImdb" / "aclImdb_labeled.tar.gz"
    if not archive_path.exists():
        pytest.skip("../shared/datasets is not beside the clone")
    wanted = {"aclImdb/train/neg/": 0, "aclImdb/train/pos/": 0}
    with tarfile.open(archive_path) as archive:
        for member in archive:
            folder = member.name[:member.name.rfind("/") + 1]
            if member.isfile() and folder in wanted and wanted[folder] < 12:
                wanted[folder] += 1
                archive.extract(member, tmp_path, filter="data")
            if min(wanted.values()) >= 12:
                break
    dataset = text_dataset_from_directory(str(tmp_path / "aclImdb" / "train"), batch_size=8, shuffle=False,
                                          verbose=False)
    assert dataset.class_names == ["neg", "pos"] and len(dataset) == 3
    labels = np.concatenate([dataset[i][1] for i in range(3)])
    for path, label in zip(dataset.file_paths, labels):  # unshuffled, batches follow file_paths
        rating = int(os.path.basename(path).split("_")[1].split(".")[0])
        assert (rating >= 7) == bool(label) and os.path.basename(os.path.dirname(path)) == dataset.class_names[label]
    assert all(isinstance(text, str) and len(text) > 20 for text in dataset[0][0])
    shuffled = text_dataset_from_directory(str(tmp_path / "aclImdb" / "train"), batch_size=8, seed=1, verbose=False)
    mixed = np.concatenate([shuffled[i][1] for i in range(3)])
    assert sorted(mixed.tolist()) == sorted(labels.tolist()) and mixed.tolist() != labels.tolist()


# -- image_dataset_from_directory -------------------------------------------------------------------------------
def _png(path, array):
    Image.fromarray(np.asarray(array, dtype="uint8")).save(path)


@pytest.fixture
def image_folder(tmp_path):
    for label, color in (("blue", (0, 0, 200)), ("red", (200, 0, 0))):
        (tmp_path / label).mkdir()
        for i in range(3):
            _png(tmp_path / label / f"{i}.png", np.full((4, 6, 3), color) + i)
    return tmp_path


def test_image_dataset_decodes_exact_pixels(engine, image_folder):
    dataset = image_dataset_from_directory(str(image_folder), image_size=(4, 6), batch_size=4, shuffle=False,
                                           verbose=False)
    x, y = dataset[0]
    assert dataset.class_names == ["blue", "red"] and x.dtype == np.float32 and x.shape == (4, 4, 6, 3)
    np.testing.assert_array_equal(x[1, 0, 0], [1, 1, 201])  # blue/1.png: (0, 0, 200) + 1
    np.testing.assert_array_equal(x[3, 2, 5], [200, 0, 0])
    assert y.tolist() == [0, 0, 0, 1] and dataset[1][0].shape == (2, 4, 6, 3)


def test_image_dataset_color_modes_and_formats(engine, image_folder):
    gray, _ = image_dataset_from_directory(str(image_folder), image_size=(4, 6), color_mode="grayscale",
                                           shuffle=False, verbose=False)[0]
    assert gray.shape == (6, 4, 6, 1)
    assert gray[0, 0, 0, 0] == round(200 * 114 / 1000)  # ITU-R 601-2 luma, as Pillow converts
    rgba, _ = image_dataset_from_directory(str(image_folder), image_size=(4, 6), color_mode="rgba", shuffle=False,
                                           verbose=False)[0]
    assert rgba.shape == (6, 4, 6, 4) and (rgba[..., 3] == 255).all()
    first, _ = image_dataset_from_directory(str(image_folder), image_size=(4, 6), data_format="channels_first",
                                            shuffle=False, verbose=False)[0]
    assert first.shape == (6, 3, 4, 6)
    small, labels = image_dataset_from_directory(str(image_folder), image_size=2, interpolation="nearest",
                                                 label_mode="categorical", shuffle=False, verbose=False)[0]
    assert small.shape == (6, 2, 2, 3) and labels.shape == (6, 2)
    np.testing.assert_array_equal(small[4, 1, 1], [201, 1, 1])  # uniform images stay uniform
    with pytest.raises(ValueError, match="interpolation"):
        image_dataset_from_directory(str(image_folder), interpolation="gaussian", verbose=False)


def test_image_dataset_aspect_ratio(engine, tmp_path):
    (tmp_path / "only").mkdir()
    picture = np.zeros((2, 6, 3))
    picture[:, :2] = 50  # left third
    picture[:, 2:4] = 100  # middle third
    picture[:, 4:] = 150  # right third
    _png(tmp_path / "only" / "wide.png", picture)
    crop, _ = image_dataset_from_directory(str(tmp_path), image_size=(2, 2), crop_to_aspect_ratio=True,
                                           verbose=False)[0]
    np.testing.assert_array_equal(crop[0, :, :, 0], [[100, 100], [100, 100]])  # the centered 2x2 window
    pad, _ = image_dataset_from_directory(str(tmp_path), image_size=(6, 6), pad_to_aspect_ratio=True,
                                          verbose=False)[0]
    np.testing.assert_array_equal(pad[0, :, 0, 0], [0, 0, 50, 50, 0, 0])  # black bands above and below


def test_image_dataset_trains_with_fit(engine, image_folder):
    train, val = image_dataset_from_directory(str(image_folder), image_size=(4, 6), batch_size=2, seed=0,
                                              validation_split=0.34, subset="both", label_mode="binary",
                                              verbose=False)
    assert len(train.file_paths) == 4 and len(val.file_paths) == 2
    model = lamina.Sequential([lamina.Input((4, 6, 3)), lamina.layers.Flatten(),
                               lamina.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(train, validation_data=val, epochs=2, verbose=0)
    assert set(history.history) >= {"loss", "val_loss", "accuracy"}
    assert model.predict(val, verbose=0).shape == (2, 1)


# -- timeseries_dataset_from_array ------------------------------------------------------------------------------
def test_timeseries_windows_follow_keras_example(engine):
    dataset = timeseries_dataset_from_array(np.arange(99), None, sequence_length=10, sampling_rate=2,
                                            sequence_stride=3, batch_size=8)
    windows = np.concatenate([dataset[i] for i in range(len(dataset))])
    assert windows[0].tolist() == list(range(0, 20, 2)) and windows[1].tolist() == list(range(3, 23, 2))
    assert windows[-1].tolist() == list(range(78, 98, 2)) and len(windows) == 27


def test_timeseries_targets_and_bounds(engine):
    data = np.arange(100, dtype="float32")
    dataset = timeseries_dataset_from_array(data[:-10], data[10:], sequence_length=10, batch_size=None)
    inputs, target = dataset[0]
    assert inputs.tolist() == data[:10].tolist() and target == 10.0 and len(dataset) == 81
    part = timeseries_dataset_from_array(data, data * 2, sequence_length=3, start_index=20, end_index=30,
                                         batch_size=100)
    windows, targets = part[0]
    assert windows[0].tolist() == [20, 21, 22] and windows[-1].tolist() == [27, 28, 29]
    assert targets.tolist() == (np.arange(20, 28) * 2).tolist()
    shuffled = timeseries_dataset_from_array(data, None, sequence_length=5, shuffle=True, seed=4, batch_size=200)
    starts = shuffled[0][:, 0]
    assert sorted(starts.tolist()) == list(range(96)) and starts.tolist() != list(range(96))
    with pytest.raises(ValueError, match="sampling_rate"):
        timeseries_dataset_from_array(data, None, sequence_length=3, sampling_rate=0)


def test_timeseries_dataset_trains_with_fit(engine):
    series = np.sin(np.arange(200) / 5).astype("float32")[:, None]
    dataset = timeseries_dataset_from_array(series[:-4], series[4:, 0], sequence_length=4, batch_size=32,
                                            shuffle=True, seed=0)
    model = lamina.Sequential([lamina.Input((4, 1)), lamina.layers.Flatten(), lamina.layers.Dense(1)])
    model.compile(optimizer=lamina.optimizers.SGD(0.1), loss="mse")
    history = model.fit(dataset, epochs=4, verbose=0)
    assert history.history["loss"][-1] < history.history["loss"][0]


# -- split_dataset ------------------------------------------------------------------------------------------------
def test_split_dataset_arrays(engine):
    data = np.arange(20).reshape(10, 2)
    left, right = split_dataset(data, left_size=0.8)
    np.testing.assert_array_equal(left, data[:8])
    np.testing.assert_array_equal(right, data[8:])
    (lx, ly), (rx, ry) = split_dataset((data, np.arange(10)), right_size=3)
    assert lx.shape == (7, 2) and ry.tolist() == [7, 8, 9]
    left, right = split_dataset({"a": np.arange(10)}, left_size=2, right_size=5, shuffle=True, seed=1)
    assert len(left["a"]) == 2 and len(right["a"]) == 5 and not set(left["a"]) & set(right["a"])
    with pytest.raises(ValueError, match="At least one"):
        split_dataset(data)
    with pytest.raises(ValueError, match="left_size"):
        split_dataset(data, left_size=10)
    with pytest.raises(ValueError, match="greater than 1"):
        split_dataset(data, left_size=0.6, right_size=0.6)
    with pytest.raises(TypeError, match="left_size"):
        split_dataset(data, left_size="half")


def test_split_dataset_rebatches_a_dataset(engine, text_folder):
    folder, _ = text_folder
    dataset = text_dataset_from_directory(str(folder), batch_size=3, shuffle=False, verbose=False)
    left, right = split_dataset(dataset, left_size=5)
    assert isinstance(left, lamina.utils.PyDataset) and len(left) == 2 and len(right) == 1
    texts, labels = right[0]
    assert texts.tolist() == ["superb acting", "fun"] and labels.tolist() == [1, 1]
    x, y = split_dataset((np.ones((6, 3), "float32"), np.zeros((6, 1), "float32")), left_size=0.5)
    model = lamina.Sequential([lamina.Input((3,)), lamina.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    model.fit(*x, epochs=1, verbose=0)
    assert np.isfinite(model.evaluate(*y, verbose=0))
