"""Global settings: engine name, float type, epsilon, image data format, device and host-memory reuse.

Values come from, in order: the environment (``LAMINA_BACKEND``, ``LAMINA_DEVICE``,
``LAMINA_REUSE_HOST_MEMORY``), the JSON file ``$LAMINA_HOME/lamina.json`` (``LAMINA_HOME`` defaults to
``~/.lamina``), then built-in defaults. Reading the configuration never writes a file.
"""

from __future__ import annotations

import json
import os

_DEFAULTS = {
    "backend": "torch",
    "floatx": "float32",
    "epsilon": 1e-7,
    "image_data_format": "channels_last",
    "reuse_host_memory": True,  # see lamina/backend/common/host_memory.py
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
if os.environ.get("LAMINA_REUSE_HOST_MEMORY"):
    _settings["reuse_host_memory"] = os.environ["LAMINA_REUSE_HOST_MEMORY"] != "0"


def backend() -> str:
    """The name of the engine lamina runs on (``"torch"`` or ``"jax"``)."""
    return _settings["backend"]


def device() -> str | None:
    """The device requested by ``LAMINA_DEVICE`` or the config file, or None to let the engine choose."""
    return _settings["device"]


def reuse_host_memory() -> bool:
    """Whether the torch engine keeps freed host memory for reuse (``LAMINA_REUSE_HOST_MEMORY=0`` or
    ``"reuse_host_memory": false`` in the config file turn it off; see ``backend/common/host_memory.py``)."""
    return bool(_settings["reuse_host_memory"])


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


# -- Keras' run-time switches (``keras.config``) ----------------------------------------------------------
def _env_int(name: str) -> int | None:
    value = os.environ.get(name)
    return int(value) if value else None


_switches = {
    "flash_attention": None,  # None: the engine decides; False: never a flash kernel
    "interactive_logging": True,
    "unsafe_deserialization": False,
    "traceback_filtering": True,
    "max_epochs": _env_int("LAMINA_MAX_EPOCHS"),
    "max_steps_per_epoch": _env_int("LAMINA_MAX_STEPS_PER_EPOCH"),
}


def enable_flash_attention() -> None:
    """Let attention use a flash kernel where the engine has one for the inputs (the default).

    ``ops.nn.dot_product_attention(flash_attention=None)`` reads this setting.
    """
    _switches["flash_attention"] = None


def disable_flash_attention() -> None:
    """Keep attention off flash kernels (``dot_product_attention``'s default becomes ``flash_attention=False``)."""
    _switches["flash_attention"] = False


def is_flash_attention_enabled() -> bool | None:
    """False after ``disable_flash_attention()``; otherwise None, meaning the engine chooses (as in Keras)."""
    return _switches["flash_attention"]


def enable_interactive_logging() -> None:
    """Progress bars and training messages go to stdout (the default)."""
    _switches["interactive_logging"] = True


def disable_interactive_logging() -> None:
    """Progress bars and training messages go to the ``lamina`` logger instead of stdout, as plain lines."""
    _switches["interactive_logging"] = False


def is_interactive_logging_enabled() -> bool:
    """Whether progress bars and messages are written to stdout (True) or logged (False)."""
    return _switches["interactive_logging"]


def enable_unsafe_deserialization() -> None:
    """Allow loading Python lambdas stored as bytecode in configs, for the whole process: ``load_model``,
    ``deserialize_keras_object`` and ``Lambda.from_config`` then behave as with ``safe_mode=False``.
    Only for files from a source you trust: loading them runs their code."""
    _switches["unsafe_deserialization"] = True


def unsafe_deserialization_enabled() -> bool:
    """Whether ``enable_unsafe_deserialization()`` was called."""
    return _switches["unsafe_deserialization"]


def enable_traceback_filtering() -> None:
    """Kept for Keras compatibility; it changes nothing in lamina, whose errors are raised without internal
    frames to filter (engine errors are translated where they are raised)."""
    _switches["traceback_filtering"] = True


def disable_traceback_filtering() -> None:
    """Kept for Keras compatibility; it changes nothing in lamina (see ``enable_traceback_filtering``)."""
    _switches["traceback_filtering"] = False


def is_traceback_filtering_enabled() -> bool:
    """The value last set by ``enable_traceback_filtering``/``disable_traceback_filtering`` (default True)."""
    return _switches["traceback_filtering"]


def is_nnx_enabled() -> bool:
    """Always False: Flax NNX modules are a feature of Keras' JAX backend that lamina does not have."""
    return False


def _check_limit(name: str, value) -> int | None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
        raise ValueError(f"Invalid value for argument `{name}`. Expected a positive integer or None. "
                         f"Received: {name}={value!r}")
    return value


def set_max_epochs(max_epochs: int | None) -> None:
    """Cap the number of epochs of every ``fit`` (None: no cap). For debugging; also read at import from
    ``LAMINA_MAX_EPOCHS``."""
    _switches["max_epochs"] = _check_limit("max_epochs", max_epochs)


def max_epochs() -> int | None:
    """The cap on ``fit``'s epochs, or None."""
    return _switches["max_epochs"]


def set_max_steps_per_epoch(max_steps_per_epoch: int | None) -> None:
    """Cap the steps of each epoch of ``fit``, ``evaluate`` and ``predict`` (None: no cap). For debugging;
    also read at import from ``LAMINA_MAX_STEPS_PER_EPOCH``."""
    _switches["max_steps_per_epoch"] = _check_limit("max_steps_per_epoch", max_steps_per_epoch)


def max_steps_per_epoch() -> int | None:
    """The cap on the steps per epoch, or None."""
    return _switches["max_steps_per_epoch"]
