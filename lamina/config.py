"""Global settings: engine name, float type, epsilon, image data format and device.

Values come from, in order: the environment (``LAMINA_BACKEND``, ``LAMINA_DEVICE``), the JSON file
``$LAMINA_HOME/lamina.json`` (``LAMINA_HOME`` defaults to ``~/.lamina``), then built-in defaults.
Reading the configuration never writes a file.
"""

from __future__ import annotations

import json
import os

_DEFAULTS = {
    "backend": "torch",
    "floatx": "float32",
    "epsilon": 1e-7,
    "image_data_format": "channels_last",
}
_FLOAT_TYPES = ("float16", "bfloat16", "float32", "float64")
_DATA_FORMATS = ("channels_last", "channels_first")


def lamina_home() -> str:
    """The folder holding ``lamina.json`` and caches."""
    return os.path.expanduser(os.environ.get("LAMINA_HOME", os.path.join("~", ".lamina")))


def _read_config_file() -> dict:
    path = os.path.join(lamina_home(), "lamina.json")
    try:
        with open(path, encoding="utf-8") as f:
            loaded = json.load(f)
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


_file_settings = _read_config_file()
_settings = {key: _file_settings.get(key, default) for key, default in _DEFAULTS.items()}
if os.environ.get("LAMINA_BACKEND"):
    _settings["backend"] = os.environ["LAMINA_BACKEND"]
_settings["device"] = os.environ.get("LAMINA_DEVICE") or _file_settings.get("device")


def backend() -> str:
    """The name of the engine lamina runs on (``"torch"`` or ``"jax"``)."""
    return _settings["backend"]


def device() -> str | None:
    """The device requested by ``LAMINA_DEVICE`` or the config file, or None to let the engine choose."""
    return _settings["device"]


def floatx() -> str:
    """The default float dtype, as a string such as ``"float32"``."""
    return _settings["floatx"]


def set_floatx(value: str) -> None:
    """Set the default float dtype."""
    value = str(value)
    if value not in _FLOAT_TYPES:
        raise ValueError(f"Invalid value for argument `value`. Expected one of {_FLOAT_TYPES}. Received: value={value}")
    _settings["floatx"] = value


def epsilon() -> float:
    """The fuzz factor added to denominators to avoid division by zero."""
    return _settings["epsilon"]


def set_epsilon(value: float) -> None:
    """Set the fuzz factor used in numeric expressions."""
    _settings["epsilon"] = float(value)


def image_data_format() -> str:
    """``"channels_last"`` or ``"channels_first"``: the default layout of image tensors."""
    return _settings["image_data_format"]


def set_image_data_format(data_format: str) -> None:
    """Set the default image layout."""
    data_format = str(data_format).lower()
    if data_format not in _DATA_FORMATS:
        raise ValueError(
            "Invalid value for argument `data_format`. Expected one of "
            f"{_DATA_FORMATS}. Received: data_format={data_format}"
        )
    _settings["image_data_format"] = data_format


def standardize_data_format(data_format: str | None) -> str:
    """Return ``data_format`` checked, or the global default when it is None."""
    if data_format is None:
        return image_data_format()
    data_format = str(data_format).lower()
    if data_format not in _DATA_FORMATS:
        raise ValueError(
            "Invalid value for argument `data_format`. Expected one of "
            f"{_DATA_FORMATS}. Received: data_format={data_format}"
        )
    return data_format
