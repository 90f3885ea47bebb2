"""Hostile files: one case per attack on loading. Each proves that nothing ran (the marker file a payload
would create stays absent), nothing was written outside the folder holding the file, memory stayed bounded,
and the user got a ValueError naming the file, layer or key."""

import base64
import json
import marshal
import resource
import sys
import tracemalloc
import zipfile

import h5py
import numpy as np
import pytest

import lamina
from lamina import layers
from lamina.models import Model, Sequential, load_model
from lamina.saving import h5_reading, keras_file

MEMORY_CAP = 64 * 2**20  # bytes: Python/NumPy allocations while loading (tracemalloc peak)
RSS_CAP = 256 * 2**20  # bytes: growth of the process' peak resident set


@pytest.fixture
def guard(tmp_path):
    """``(folder, marker)``: put the hostile file in ``folder``; afterwards checks that the marker is absent,
    nothing outside ``folder`` changed under ``tmp_path`` and memory stayed bounded."""
    folder, marker = tmp_path / "files", tmp_path / "pwned"
    folder.mkdir()
    before = sorted(str(p) for p in tmp_path.rglob("*") if folder not in p.parents and p != folder)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    tracemalloc.start()
    yield folder, marker
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert not marker.exists(), "the payload ran"
    after = sorted(str(p) for p in tmp_path.rglob("*") if folder not in p.parents and p != folder)
    assert after == before, "something was written outside the file's folder"
    assert peak < MEMORY_CAP, f"loading allocated {peak} bytes"
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 - rss < RSS_CAP


def dense_model():
    return Sequential([layers.Input(shape=(4,)), layers.Dense(2)])


def saved(folder, model=None, name="model.keras"):
    path = folder / name
    (model or dense_model()).save(path)
    return path


def rewritten(path, replace=None, add=None, compression=zipfile.ZIP_STORED):
    """Rewrite the archive at ``path`` with members replaced (``{name: bytes}``) or added."""
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    members.update(replace or {})
    members.update(add or {})
    with zipfile.ZipFile(path, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def config_of(path):
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("config.json"))


def with_config(path, config):
    return rewritten(path, {"config.json": json.dumps(config).encode()})


def touch_marker_source(marker):
    return f"open({str(marker)!r}, 'w').write('ran')\n"


# -- configs that name code ------------------------------------------------------------------------
def test_module_outside_lamina_is_never_imported(engine, guard, monkeypatch):
    folder, marker = guard
    payload = folder / "lamina_payload.py"  # passes a plain prefix check on "lamina"
    payload.write_text(touch_marker_source(marker) + "class Payload:\n    pass\n")
    monkeypatch.syspath_prepend(str(folder))
    path = saved(folder)
    config = config_of(path)
    for module in ("lamina_payload", "keras_payload", "os"):
        config["config"]["layers"][1].update(module=module, class_name="Payload")
        with pytest.raises(ValueError, match="Unknown layer: 'Payload'"):
            load_model(with_config(path, config))
    assert "lamina_payload" not in sys.modules


def test_only_classes_lamina_defines_load_from_its_modules(engine, guard, monkeypatch):
    folder, marker = guard

    class Payload:  # a class a lamina module happens to hold, not one lamina defines
        def __init__(self, **kwargs):
            marker.write_text("ran")

    monkeypatch.setattr(lamina.utils, "Payload", Payload, raising=False)
    path = saved(folder)
    config = config_of(path)
    config["config"]["layers"][1].update(module="keras.utils", class_name="Payload", config={})
    with pytest.raises(ValueError, match="Unknown layer: 'Payload'"):
        load_model(with_config(path, config))


def lambda_model(function):
    x = layers.Input(shape=(2,))
    return Model(x, layers.Lambda(function, output_shape=(2,))(x))


def test_lambda_named_function_resolves_only_to_public_functions(engine, guard, monkeypatch):
    folder, marker = guard

    def payload(x):
        marker.write_text("ran")
        return x

    monkeypatch.setattr(lamina.utils.io_utils, "payload", payload, raising=False)
    path = saved(folder, lambda_model(lamina.ops.relu))
    config = config_of(path)
    entry = next(e for e in config["config"]["layers"] if e["class_name"] == "Lambda")
    for module, name in (("lamina.utils.io_utils", "payload"), ("os", "system"), ("keras.utils", "payload")):
        entry["config"]["function"].update(module=module, config=name, registered_name=name)
        with pytest.raises(ValueError, match=f"Could not locate the function '{name}'"):
            load_model(with_config(path, config))(np.ones((1, 2), "float32"))
    entry["config"]["function"].update(module="keras.activations", config="relu", registered_name="relu")
    np.testing.assert_array_equal(lamina.backend.convert_to_numpy(load_model(with_config(path, config))(
        np.array([[-1.0, 2.0]], "float32"))), [[0.0, 2.0]])  # public activations still load


def test_lambda_bytecode_never_runs_in_safe_mode(engine, guard):
    folder, marker = guard
    path = saved(folder, lambda_model(lambda t: t))
    config = config_of(path)
    code = compile(f"lambda t: (open({str(marker)!r}, 'w').write('ran'), t)[1]", "payload", "eval")
    entry = next(e for e in config["config"]["layers"] if e["class_name"] == "Lambda")
    entry["config"]["function"]["config"]["code"] = base64.b64encode(marshal.dumps(code.co_consts[0])).decode()
    with pytest.raises(ValueError, match="safe_mode=False"):
        load_model(with_config(path, config))(np.ones((1, 2), "float32"))


# -- archives --------------------------------------------------------------------------------------
@pytest.mark.parametrize("name", ["../escaped.txt", "/tmp/absolute.txt", "assets/../../escaped.txt"])
def test_zip_slip_names_are_refused(engine, guard, name):
    folder, _ = guard
    path = rewritten(saved(folder), add={name: b"payload"})
    with pytest.raises(ValueError, match="unsafe name"):
        load_model(path)
    assert not (folder.parent / "escaped.txt").exists()


def test_unexpected_member_is_refused(engine, guard):
    folder, _ = guard
    path = rewritten(saved(folder), add={"payload.py": b"import os"})
    with pytest.raises(ValueError, match="unexpected member 'payload.py'"):
        load_model(path)


def test_decompression_bomb_is_refused_before_reading(engine, guard, monkeypatch):
    folder, _ = guard
    monkeypatch.setattr(keras_file, "BOMB_FLOOR_BYTES", 2**20)  # the real floor is 64 MiB; same rule
    path = rewritten(saved(folder), {"model.weights.h5": bytes(2**25)}, compression=zipfile.ZIP_DEFLATED)
    assert zipfile.ZipFile(path).getinfo("model.weights.h5").compress_size < 2**25 // 100
    with pytest.raises(ValueError, match="decompression bomb"):
        load_model(path)


def test_member_declaring_more_than_the_cap_is_refused(engine, guard, monkeypatch):
    folder, _ = guard
    path = saved(folder)
    monkeypatch.setattr(keras_file, "MAX_CONFIG_BYTES", 100)
    with pytest.raises(ValueError, match="member 'config.json' declares .* above the limit of 100"):
        load_model(path)


def test_bad_crc_names_the_file_and_member(engine, guard):
    folder, _ = guard
    path = saved(folder)
    data = bytearray(path.read_bytes())
    start = data.index(b'"class_name"')  # inside config.json's stored bytes
    data[start + 1] = ord("K")
    path.write_bytes(bytes(data))
    with pytest.raises(ValueError, match=r"model\.keras.*member 'config.json' is corrupt"):
        load_model(path)


@pytest.mark.parametrize("keep", [0.5, 0.9])
def test_truncated_file_names_the_file(engine, guard, keep):
    folder, _ = guard
    path = saved(folder)
    path.write_bytes(path.read_bytes()[: int(path.stat().st_size * keep)])
    with pytest.raises(ValueError, match=r"model\.keras"):
        load_model(path)


# -- configs that exhaust the loader ---------------------------------------------------------------
def test_deeply_nested_config_is_refused(engine, guard):
    folder, _ = guard
    path = saved(folder)
    nested = "[" * 200_000 + "]" * 200_000
    rewritten(path, {"config.json": ('{"module": "keras", "class_name": "Sequential", "config": ' + nested
                                     + "}").encode()})
    with pytest.raises(ValueError, match=r"config\.json.*nests 200001 levels"):
        load_model(path)


def test_huge_integer_is_refused(engine, guard):
    folder, _ = guard
    path = saved(folder)
    text = json.dumps(config_of(path)).replace('"units": 2', '"units": ' + "9" * 4000)
    rewritten(path, {"config.json": text.encode()})
    with pytest.raises(ValueError, match=r"config\.json.*integer 9999"):
        load_model(path)


@pytest.mark.parametrize("layer, key", [("Dense", "units"), ("Embedding", "output_dim")])
def test_absurd_layer_size_is_refused_before_allocating(engine, guard, layer, key):
    folder, _ = guard
    model = (dense_model() if layer == "Dense"
             else Sequential([layers.Input(shape=(3,), dtype="int32"), layers.Embedding(10, 2)]))
    path = saved(folder, model)
    config = config_of(path)
    config["config"]["layers"][1]["config"][key] = 2**40
    with pytest.raises(ValueError, match=rf"Layer '{layer.lower()}' cannot create weight .*1099511627776"):
        load_model(with_config(path, config))


# -- HDF5 weights ----------------------------------------------------------------------------------
def weights_file(folder, build):
    """A ``.weights.h5`` for ``dense_model()`` whose kernel dataset ``build(group)`` creates."""
    path = folder / "model.weights.h5"
    model = dense_model()
    model.save_weights(path)
    with h5py.File(path, "a") as h5file:
        group = h5file["layers/dense/vars"]
        del group["0"]
        build(group)
    return model, path


def in_keras_archive(folder, weights_path):
    path = saved(folder)
    return rewritten(path, {"model.weights.h5": weights_path.read_bytes()})


@pytest.mark.parametrize("shape, message", [((10**12,), "declares shape"), ((2**25,), "decompression bomb")])
def test_dataset_declaring_huge_shape_is_refused_before_reading(engine, guard, shape, message):
    folder, _ = guard
    model, path = weights_file(folder, lambda g: g.create_dataset("0", shape=shape, dtype="float32",
                                                                  chunks=(1024,)))
    assert path.stat().st_size < 2**20
    with pytest.raises(ValueError, match=f"dataset '/layers/dense/vars/0'.*{message}"):
        model.load_weights(path)
    with pytest.raises(ValueError, match=message):
        load_model(in_keras_archive(folder, path))


def test_external_storage_dataset_is_refused(engine, guard):
    folder, _ = guard
    secret = folder / "secret.bin"
    secret.write_bytes(np.arange(8, dtype="float32").tobytes())
    model, path = weights_file(folder, lambda g: g.create_dataset("0", shape=(4, 2), dtype="float32",
                                                                  external=[(str(secret), 0, 32)]))
    with pytest.raises(ValueError, match="external files"):
        model.load_weights(path)
    np.testing.assert_array_equal(np.asarray(model.layers[0].kernel.shape), [4, 2])


def test_virtual_dataset_is_refused(engine, guard):
    folder, _ = guard
    source = folder / "source.h5"
    with h5py.File(source, "w") as h5file:
        h5file["data"] = np.ones((4, 2), "float32")

    def virtual(group):
        layout = h5py.VirtualLayout(shape=(4, 2), dtype="float32")
        layout[:] = h5py.VirtualSource(str(source), "data", shape=(4, 2))
        group.create_virtual_dataset("0", layout)

    model, path = weights_file(folder, virtual)
    with pytest.raises(ValueError, match="virtual dataset"):
        model.load_weights(path)


@pytest.mark.parametrize("link", ["soft", "external"])
def test_linked_datasets_are_refused(engine, guard, link):
    folder, _ = guard
    other = folder / "other.h5"
    with h5py.File(other, "w") as h5file:
        h5file["kernel"] = np.ones((4, 2), "float32")

    def linked(group):
        group["elsewhere"] = np.ones((4, 2), "float32")
        group["0"] = (h5py.SoftLink(group.name + "/elsewhere") if link == "soft"
                      else h5py.ExternalLink(str(other), "/kernel"))

    model, path = weights_file(folder, linked)
    with pytest.raises(ValueError, match=f"is an? {link} link"):
        model.load_weights(path)


def test_corrupt_weights_member_names_the_file(engine, guard):
    folder, _ = guard
    path = rewritten(saved(folder), {"model.weights.h5": b"\x89HDF\r\n\x1a\n" + bytes(200)})
    with pytest.raises(ValueError, match="not a valid HDF5 file"):
        load_model(path)


def test_h5_reading_checks_attributes(engine, guard):
    folder, _ = guard
    with h5py.File(folder / "legacy.h5", "w") as h5file:
        h5file.attrs["layer_names"] = [b"dense", b"dense_1"]
        h5file.attrs["huge"] = np.zeros(16, "float32")
    with h5_reading.open_file(str(folder / "legacy.h5")) as h5file:
        assert h5_reading.read_attribute(h5file, "layer_names") == ["dense", "dense_1"]
        assert h5_reading.read_attribute(h5file, "missing") is None
        original = h5_reading.MAX_ELEMENTS
        try:
            h5_reading.MAX_ELEMENTS = 8
            with pytest.raises(ValueError, match="attribute 'huge'.*declares shape"):
                h5_reading.read_attribute(h5file, "huge")
        finally:
            h5_reading.MAX_ELEMENTS = original
