"""Shared fixtures. Every test runs on the engine chosen by LAMINA_BACKEND; CI runs the suite once per engine.

Use the ``engine`` fixture (the engine's name) in tests; mark engine-specific tests with
``@pytest.mark.engines("torch")``.
"""

import numpy as np
import pytest

import lamina

# The configured default (CI runs the layer tests once with lamina.json saying channels_first).
_IMAGE_DATA_FORMAT = lamina.config.image_data_format()


def pytest_configure(config):
    config.addinivalue_line("markers", "engines(*names): run only on these engines")


@pytest.fixture(autouse=True)
def _only_on_marked_engines(request):
    marker = request.node.get_closest_marker("engines")
    if marker and lamina.backend.backend() not in marker.args:
        pytest.skip(f"engine-specific test for {marker.args}")


@pytest.fixture
def engine():
    """The running engine's name; also resets global state a test may change."""
    lamina.backend.clear_session()
    lamina.utils.set_random_seed(1337)
    yield lamina.backend.backend()
    lamina.config.set_floatx("float32")
    lamina.config.set_image_data_format(_IMAGE_DATA_FORMAT)


@pytest.fixture
def rng():
    return np.random.default_rng(0)


def to_numpy(x):
    return lamina.backend.convert_to_numpy(x)
