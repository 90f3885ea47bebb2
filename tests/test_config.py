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
