"""Every ``>>>`` example in lamina's docstrings, run as a doctest on the current engine (CI runs both).

Examples print engine-neutral values (``tuple(ops.shape(y))``, rounded floats, NumPy arrays), so one
expected output holds on every engine. The examples see ``np``, ``lamina``, ``keras`` (lamina), ``ops``,
``layers``, every layer class (``Dense``, ``LSTM``, ...) and ``Input``/``Model``/``Sequential``, plus their own
module's names.
"""

import doctest
import importlib
import pkgutil

import numpy as np
import pytest

import lamina


def _modules():
    """lamina's modules, engine packages excluded (they are reached through lamina.backend)."""
    for info in pkgutil.walk_packages(lamina.__path__, "lamina."):
        if ".backend.torch" in info.name or ".backend.jax" in info.name:
            continue
        yield importlib.import_module(info.name)


def _examples():
    finder = doctest.DocTestFinder(exclude_empty=True)
    seen = set()
    for module in _modules():
        for test in finder.find(module, module.__name__):
            if test.examples and test.name not in seen:
                seen.add(test.name)
                yield test


EXAMPLES = sorted(_examples(), key=lambda test: test.name)
NAMESPACE = {
    **{name: getattr(lamina.layers, name) for name in dir(lamina.layers) if name[:1].isupper()},
    "np": np, "lamina": lamina, "keras": lamina, "ops": lamina.ops, "layers": lamina.layers,
    "Model": lamina.Model, "Sequential": lamina.Sequential,
}


@pytest.mark.parametrize("example", EXAMPLES, ids=[test.name for test in EXAMPLES])
def test_docstring_example(engine, example):
    example.globs = {**NAMESPACE, **example.globs}
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    failures = []
    runner.run(example, out=failures.append)
    assert runner.failures == 0, "".join(failures)
