"""Configuration: environment and config file, defaults, setters; importing writes no file."""

import json
import os
import subprocess
import sys

import pytest

import lamina
from lamina import config


def run_python(code, env_extra):
    env = dict(os.environ, **env_extra)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True).stdout


def test_import_writes_no_file(tmp_path, engine):
    home = tmp_path / "home"
    run_python("import lamina", {"LAMINA_HOME": str(home), "LAMINA_BACKEND": engine})
    assert not home.exists()


def test_config_file_is_read(tmp_path, engine):
    home = tmp_path / "home"
    home.mkdir()
    (home / "lamina.json").write_text(json.dumps({"floatx": "float64", "image_data_format": "channels_first",
                                                  "epsilon": 1e-5, "backend": engine}))
    out = run_python(
        "from lamina import config; print(config.floatx(), config.image_data_format(), config.epsilon(), "
        "config.backend())", {"LAMINA_HOME": str(home), "LAMINA_BACKEND": ""})
    assert out.split() == ["float64", "channels_first", "1e-05", engine]


def test_environment_overrides_file_and_unknown_engine_fails(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "lamina.json").write_text(json.dumps({"backend": "torch"}))
    env = dict(os.environ, LAMINA_HOME=str(home), LAMINA_BACKEND="nonesuch")
    result = subprocess.run([sys.executable, "-c", "import lamina"], capture_output=True, text=True, env=env)
    assert result.returncode != 0 and "Unknown engine 'nonesuch'" in result.stderr


def test_setters_validate(engine):
    config.set_floatx("float16")
    assert config.floatx() == "float16"
    with pytest.raises(ValueError, match="Expected one of"):
        config.set_floatx("int8")
    config.set_image_data_format("channels_first")
    assert lamina.config.image_data_format() == "channels_first"
    with pytest.raises(ValueError, match="data_format"):
        config.set_image_data_format("nhwc")


def test_backend_name(engine):
    assert lamina.backend.backend() == engine == config.backend()


def test_device_override(engine):
    out = run_python("from lamina import backend; print(backend.core.device_name())",
                     {"LAMINA_DEVICE": "cpu", "LAMINA_BACKEND": engine})
    assert out.strip().startswith("cpu")


# -- keras.config's run-time switches -------------------------------------------------------------------------
@pytest.fixture
def switches():
    """Restore the switches a test flips."""
    saved = dict(config._switches)
    yield
    config._switches.update(saved)
    lamina.dtype_policies.set_dtype_policy(None)


def _small_model():
    model = lamina.Sequential([lamina.Input((2,)), lamina.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mse")
    return model


def test_flash_attention_switch_reaches_the_engine(engine, switches, monkeypatch):
    import numpy as np

    seen = []
    original = lamina.backend.engine.nn.dot_product_attention

    def spy(*args, **kwargs):
        seen.append(kwargs["flash_attention"])
        return original(*args, **kwargs)

    monkeypatch.setattr(lamina.backend.engine.nn, "dot_product_attention", spy)
    q = np.random.default_rng(0).normal(size=(2, 3, 2, 4)).astype("float32")
    assert config.is_flash_attention_enabled() is None
    default = lamina.backend.convert_to_numpy(lamina.ops.nn.dot_product_attention(q, q, q))
    config.disable_flash_attention()
    assert config.is_flash_attention_enabled() is False
    without_flash = lamina.backend.convert_to_numpy(lamina.ops.nn.dot_product_attention(q, q, q))
    lamina.ops.nn.dot_product_attention(q, q, q, flash_attention=True)  # an explicit argument wins
    config.enable_flash_attention()
    assert config.is_flash_attention_enabled() is None
    assert seen == [None, False, True]
    np.testing.assert_allclose(without_flash, default, rtol=1e-5, atol=1e-6)


def test_interactive_logging_sends_progress_to_the_logger(engine, switches, capsys, caplog):
    import logging

    import numpy as np

    x, y = np.ones((4, 2), "float32"), np.ones((4, 1), "float32")
    config.disable_interactive_logging()
    assert not config.is_interactive_logging_enabled() and not lamina.utils.is_interactive_logging_enabled()
    with caplog.at_level(logging.INFO, logger="lamina"):
        _small_model().fit(x, y, batch_size=2, epochs=2, verbose=2)
    assert capsys.readouterr().out == ""
    messages = [record.getMessage() for record in caplog.records]
    assert "Epoch 1/2" in messages and any(m.startswith("2/2 - ") and "loss:" in m for m in messages)
    lamina.utils.enable_interactive_logging()
    _small_model().fit(x, y, batch_size=2, epochs=2, verbose=2)
    assert "Epoch 2/2" in capsys.readouterr().out


def test_enable_unsafe_deserialization_lets_lambdas_load(engine, switches):
    layer = lamina.layers.Lambda(lambda t: t * 2.0)
    layer_config = lamina.saving.serialize_keras_object(layer)
    with pytest.raises(ValueError, match="enable_unsafe_deserialization"):
        lamina.saving.deserialize_keras_object(layer_config)
    restored = lamina.saving.deserialize_keras_object(layer_config, safe_mode=False)
    assert float(lamina.backend.convert_to_numpy(restored(lamina.ops.ones((1,))))[0]) == 2.0
    config.enable_unsafe_deserialization()
    restored = lamina.saving.deserialize_keras_object(layer_config)  # the global switch wins, as in Keras
    assert float(lamina.backend.convert_to_numpy(restored(lamina.ops.ones((1,))))[0]) == 2.0


def test_max_epochs_and_steps_cap_fit(engine, switches):
    import numpy as np

    x, y = np.ones((8, 2), "float32"), np.ones((8, 1), "float32")
    batches = []
    counter = lamina.callbacks.LambdaCallback(on_train_batch_end=lambda batch, logs: batches.append(batch))
    config.set_max_epochs(2)
    config.set_max_steps_per_epoch(3)
    assert (config.max_epochs(), config.max_steps_per_epoch()) == (2, 3)
    with pytest.warns(UserWarning, match="Limiting epochs to 2"), \
            pytest.warns(UserWarning, match="Limiting steps_per_epoch to 3"):
        history = _small_model().fit(x, y, batch_size=2, epochs=5, verbose=0, callbacks=[counter])
    assert len(history.history["loss"]) == 2 and batches == [0, 1, 2, 0, 1, 2]
    with pytest.raises(ValueError, match="max_epochs"):
        config.set_max_epochs(0)
    config.set_max_epochs(None)
    config.set_max_steps_per_epoch(None)
    batches.clear()
    _small_model().fit(x, y, batch_size=2, epochs=1, verbose=0, callbacks=[counter])
    assert batches == [0, 1, 2, 3]


def test_flags_without_an_effect_in_lamina_and_dtype_policy(engine, switches):
    assert config.is_traceback_filtering_enabled()
    config.disable_traceback_filtering()
    assert not config.is_traceback_filtering_enabled()
    config.enable_traceback_filtering()
    assert config.is_traceback_filtering_enabled() and config.is_nnx_enabled() is False
    config.set_dtype_policy("mixed_float16")
    assert config.dtype_policy().name == "mixed_float16"
    assert lamina.layers.Dense(2).compute_dtype == "float16"
