"""The floors of ../shared/DESIGN.md hold: no lamina module imports from a floor above its own.

Every import counts, deferred ones inside functions included. Modules on one floor may import each other.
"""

import ast
import pathlib

import pytest

import lamina

# Bottom to top; a package (or top-level module) on each floor.
FLOORS = [
    {"config", "tree"},
    {"backend"},
    {"ops"},
    {"serialization"},
    {"utils"},
    {"activations", "initializers", "regularizers", "constraints", "random", "dtype_policies"},
    {"layers"},
    {"losses", "metrics", "optimizers"},
    {"callbacks"},
    {"training"},
    {"models"},
    {"saving", "text", "datasets", "legacy", "distribute"},
]
FLOOR_OF = {name: level for level, names in enumerate(FLOORS) for name in names}
ROOT = pathlib.Path(lamina.__file__).parent
MODULES = sorted(path for path in ROOT.rglob("*.py") if path.relative_to(ROOT).parts[0] != "__init__.py")


def _package(path: pathlib.Path) -> str:
    first = path.relative_to(ROOT).parts[0]
    return first[:-3] if first.endswith(".py") else first


def _imported_packages(tree: ast.AST):
    """(line, package) for every ``lamina.<package>`` an import statement names, wherever it stands."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "lamina" and len(parts) > 1:
                    yield node.lineno, parts[1]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            parts = node.module.split(".")
            if parts[0] != "lamina":
                continue
            if len(parts) > 1:
                yield node.lineno, parts[1]
            else:  # from lamina import layers, ops
                for alias in node.names:
                    yield node.lineno, alias.name


def test_every_package_has_a_floor():
    assert {_package(path) for path in MODULES} <= set(FLOOR_OF)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_point_down(path):
    own = FLOOR_OF[_package(path)]
    tree = ast.parse(path.read_text(), filename=str(path))
    upward = [f"line {line}: lamina.{package}" for line, package in _imported_packages(tree)
              if package in FLOOR_OF and FLOOR_OF[package] > own]
    assert upward == [], f"{path.relative_to(ROOT)} imports from a higher floor: {upward}"
