"""Rewrite Keras 1/2 source code as modern lamina (Keras 3) code: ``python -m lamina.legacy.upgrade FILE...``.

Prints a unified diff per file (``--write``/``-w`` rewrites the files in place, atomically) and lists what
it cannot rewrite safely as ``path:line: what and why`` (on stderr); the exit status is 1 when such a line
exists, 0 otherwise. What stays is imported from ``lamina.legacy``, so the rewritten program still runs.

It edits the text only where the syntax tree places an import, a call, a keyword or a name, so comments
and layout survive. Layer names and arguments come from ``lamina.serialization.keras1_arguments`` (the
table the legacy layers and the Keras 1 file reader use): each argument's source text goes through
``modern_arguments`` as a stand-in value (literals as themselves, so value rules such as
``dim_ordering='th'`` apply), and what comes back is written out again as text.
"""

from __future__ import annotations

import argparse
import ast
import difflib
import importlib
import inspect
import io
import re
import shutil
import sys
from typing import NamedTuple

from lamina.serialization import keras1_arguments as table

# Keras 1/2 module -> the lamina modules that hold its names, searched in order (empty: lamina.legacy only).
_MODERN_MODULES = {
    "keras": ("lamina",),
    "keras.layers": ("lamina.layers",),
    "keras.engine": ("lamina.layers", "lamina.models"),
    "keras.models": ("lamina.models",),
    "keras.optimizers": ("lamina.optimizers",),
    "keras.regularizers": ("lamina.regularizers",),
    "keras.constraints": ("lamina.constraints",),
    "keras.initializations": ("lamina.initializers",),
    "keras.initializers": ("lamina.initializers",),
    "keras.activations": ("lamina.activations",),
    "keras.objectives": ("lamina.losses",),
    "keras.losses": ("lamina.losses",),
    "keras.metrics": ("lamina.metrics",),
    "keras.callbacks": ("lamina.callbacks",),
    "keras.utils": ("lamina.utils",),
    "keras.preprocessing.sequence": ("lamina.utils",),
    "keras.datasets": ("lamina.datasets",),
    "keras.backend": (),
    "keras.preprocessing": (),
    "keras.layers.containers": (),
}
# Keras 1/2 modules below those packages (``from keras.layers import core`` imports a module, not a name).
_SUBMODULES = {
    "keras.layers." + name for name in ("core", "convolutional", "recurrent", "embeddings", "normalization",
                                        "advanced_activations", "noise", "pooling", "wrappers", "local")
} | {"keras.engine.topology", "keras.engine.training", "keras.utils.np_utils", "keras.utils.generic_utils",
     "keras.utils.data_utils", "keras.preprocessing.text", "keras.preprocessing.image"}

# Keras 1/2 arguments of models, fit and utilities (the layer arguments come from keras1_arguments).
# TODO(lead): move next to lamina/legacy/models.py once that module publishes its renames.
MODEL_ARGUMENT_RENAMES = {
    "Model": {"input": "inputs", "output": "outputs"},
    "fit": {"nb_epoch": "epochs"},
    "to_categorical": {"nb_classes": "num_classes"},
}
_FIT_METHODS = {"fit", "fit_generator", "evaluate", "evaluate_generator", "predict", "predict_generator",
                "train_on_batch", "test_on_batch"}
_GENERATOR_METHODS = {"fit_generator": "fit", "evaluate_generator": "evaluate", "predict_generator": "predict"}
_MODEL_FACTORIES = {"Sequential", "Model", "Graph", "load_model", "model_from_json", "model_from_yaml"}
_LAYER_KWARGS = ("input_shape", "input_dim", "batch_size", "batch_input_shape")  # every Keras 3 layer takes them

_ACCURACY_LOGS = {"acc": "accuracy", "val_acc": "val_accuracy"}  # Keras 1/2 logged "accuracy" as "acc"
_OBJECT_MODULES = ("lamina.initializers", "lamina.regularizers", "lamina.constraints")  # configs written as calls
_HINTS = {  # why a name that lamina.legacy keeps has no mechanical rewrite
    "Graph": "rewrite as a functional lamina.Model (named Inputs, layers called on tensors)",
    "Merge": "merging Sequential models: rewrite with the functional API and lamina.layers.concatenate/add/...",
    "TimeDistributedMerge": "reduce over the time axis with a Lambda of lamina.ops.sum/mean/prod",
    "K": "Keras 1/2 backend: write it with lamina.ops (kept on lamina.legacy.backend)",
}


class Finding(NamedTuple):
    """A line the codemod left for hand work, and why."""

    line: int
    message: str


class _Edit(NamedTuple):
    start: int
    end: int
    text: str
    optional: bool = False  # layout only: skipped where it meets another edit


_OPAQUE = object()


class _Expr:
    """Stands for an argument's source expression while the table translates it (``value``: the literal
    ``True``/``False``/``None`` it spells, which it compares equal to)."""

    def __init__(self, src: str, value=_OPAQUE):
        self._src, self._value = src, value

    def __repr__(self) -> str:
        return self._src

    def __eq__(self, other):
        return self is other or (self._value is not _OPAQUE and self._value == other)

    def __hash__(self):
        return id(self) if self._value is _OPAQUE else hash(self._value)

    def __bool__(self):
        return True if self._value is _OPAQUE else bool(self._value)


class _Code(_Expr):
    """New source text built from argument values (``parts``), e.g. a learning-rate schedule."""

    def __init__(self, src: str, parts: tuple):
        super().__init__(src)
        self.parts = parts


class _Str(str):
    pass


class _Int(int):
    pass


class _Float(float):
    pass


class _Tuple(tuple):
    pass


class _List(list):
    pass


_LITERALS = ((str, _Str), (int, _Int), (float, _Float))


def _wrap(node: ast.AST, src: str, source: _Source):
    """A stand-in for the argument ``node`` whose text is ``src``: the literal itself (as a distinct object
    remembering its text) where it is one, else an opaque ``_Expr``."""
    if isinstance(node, (ast.Tuple, ast.List)) and not any(isinstance(e, ast.Starred) for e in node.elts):
        items = [_wrap(e, source.segment(e), source) for e in node.elts]
        value = _Tuple(items) if isinstance(node, ast.Tuple) else _List(items)
        value._src = src
        return value
    try:
        literal = ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return _Expr(src)
    if isinstance(literal, bool) or literal is None:
        return _Expr(src, literal)
    for base, wrapper in _LITERALS:
        if isinstance(literal, base):
            value = wrapper(literal)
            value._src = src
            return value
    return _Expr(src)


class _Unrenderable(Exception):
    pass


def _render(value, imports: dict) -> str:
    """Source text for a value the table returned; what the text needs imported goes into ``imports``.
    A ``{"class_name": ..., "config": ...}`` of an initializer, regularizer or constraint is written as the
    constructor call (``RandomUniform(minval=-0.05, maxval=0.05)``)."""
    src = getattr(value, "_src", None)
    if src is not None:
        return src
    if value == table.KERAS1_HARD_SIGMOID:  # a name lamina.legacy.activations registers
        imports[("import", "lamina.legacy.activations")] = None
    if value is None or isinstance(value, (bool, int, float, str)):
        return repr(value)
    if isinstance(value, tuple):
        items = [_render(v, imports) for v in value]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if isinstance(value, list):
        return "[" + ", ".join(_render(v, imports) for v in value) + "]"
    if isinstance(value, dict) and set(value) == {"class_name", "config"} and isinstance(value["config"], dict):
        for module in _OBJECT_MODULES:
            if hasattr(importlib.import_module(module), value["class_name"]):
                imports[(module, value["class_name"])] = None
                arguments = ", ".join(f"{k}={_render(v, imports)}" for k, v in value["config"].items())
                return f"{value['class_name']}({arguments})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_render(k, imports)}: {_render(v, imports)}" for k, v in value.items()) + "}"
    raise _Unrenderable(f"the table returned {value!r}, which has no source text")


def _contains(value, target) -> bool:
    """Whether ``target`` (a stand-in) is ``value`` or sits inside it."""
    if value is target:
        return True
    if isinstance(value, _Code):
        return any(_contains(part, target) for part in value.parts)
    if isinstance(value, (tuple, list)):
        return any(_contains(v, target) for v in value)
    if isinstance(value, dict):
        return any(_contains(v, target) for v in value.values())
    return False


def _mentions(text: str, word: str) -> bool:
    return re.search(rf"\b{re.escape(word)}\b", text) is not None


class _Source:
    """The text of a file with ``ast`` positions (lines, UTF-8 byte columns) turned into string offsets."""

    def __init__(self, text: str):
        self.text = text
        self.lines = text.splitlines(keepends=True)
        self.starts = [0]
        for line in self.lines:
            self.starts.append(self.starts[-1] + len(line))

    def offset(self, lineno: int, col: int) -> int:
        line = self.lines[lineno - 1] if lineno <= len(self.lines) else ""
        return self.starts[lineno - 1] + len(line.encode()[:col].decode(errors="replace"))

    def span(self, node: ast.AST) -> tuple[int, int]:
        return (self.offset(node.lineno, node.col_offset), self.offset(node.end_lineno, node.end_col_offset))

    def segment(self, node: ast.AST) -> str:
        start, end = self.span(node)
        return self.text[start:end]


class _Arg:
    """One argument of a call: its Keras 1/2 name (None when unknown), stand-in value and text positions."""

    def __init__(self, name, node, start, end, value_start, positional, source):
        self.name, self.node, self.positional = name, node, positional
        self.start, self.end, self.value_start = start, end, value_start
        self.value = _wrap(node, source.text[value_start:end], source)


def _module_is_known(module: str) -> bool:
    return module in _MODERN_MODULES or module in _SUBMODULES


def _modern_modules(module: str) -> tuple:
    """The lamina modules that may hold the names of Keras 1/2 ``module`` (longest known prefix wins)."""
    parts = module.split(".")
    for n in range(len(parts), 0, -1):
        prefix = ".".join(parts[:n])
        if prefix in _MODERN_MODULES:
            return _MODERN_MODULES[prefix]
    return ()


def _legacy_module(module: str) -> str:
    return "lamina.legacy" + module[len("keras"):]


def _module_target(module: str) -> str:
    """The lamina module a Keras 1/2 module alias becomes."""
    modern = _modern_modules(module)
    return modern[0] if modern else _legacy_module(module)


def _is_layer_module(module: str) -> bool:
    return module.startswith("keras.layers") or module.startswith("keras.engine")


def _modern_object(module: str, name: str):
    """``(lamina module, name)`` holding the modern counterpart of Keras 1/2 ``module.name``, or None."""
    modern_name = table.CLASS_RENAMES.get(name, name) if _is_layer_module(module) else name
    for candidate in _modern_modules(module):
        if hasattr(importlib.import_module(candidate), modern_name):
            return candidate, modern_name
    return None


def _parameters(target) -> tuple[list, set]:
    """Positional parameter order and every accepted keyword of a modern class or function."""
    if inspect.isclass(target):
        order = [p.name for p in inspect.signature(target.__init__).parameters.values()
                 if p.kind == p.POSITIONAL_OR_KEYWORD][1:]
        accepted = set(_LAYER_KWARGS)
        for klass in target.__mro__:
            if "__init__" in vars(klass):
                accepted |= set(inspect.signature(klass.__init__).parameters)
        return order, accepted
    parameters = inspect.signature(target).parameters
    return [p.name for p in parameters.values() if p.kind == p.POSITIONAL_OR_KEYWORD], set(parameters) | set(
        _LAYER_KWARGS)


class _Upgrader:
    """One file's rewrite: collects text edits, lines for hand work and imports to add, then applies them."""

    def __init__(self, text: str):
        self.source = _Source(text)
        self.tree = ast.parse(text)
        self.edits: list[_Edit] = []
        self.findings: set[Finding] = set()
        self.names: dict[str, tuple[str, str]] = {}  # local name -> (Keras module, name)
        self.modules: dict[str, str] = {}  # local name -> Keras module
        self.stars: list[str] = []
        self.imports: list[ast.AST] = []
        self.call_renames: dict[str, int] = {}  # local name -> calls rewritten to another name
        self.extra_imports: dict[tuple, None] = {}  # (module, name), in order
        self.skip_nodes: set[int] = set()
        self.models: set[str] = set()
        self.compiles: dict[str, list[ast.Call]] = {}
        self.accuracy_receivers: dict[str, list[ast.Call]] = {}
        self.evaluates: dict[str, list[ast.Call]] = {}

    def note(self, node: ast.AST, message: str) -> None:
        self.findings.add(Finding(node.lineno, message))

    # -- what names mean ---------------------------------------------------------------------------------
    def collect_imports(self) -> None:
        for node in ast.walk(self.tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and (
                    node.module == "keras" or node.module.startswith("keras.")):
                self.imports.append(node)
                for alias in node.names:
                    full = f"{node.module}.{alias.name}"
                    if alias.name == "*":
                        self.stars.append(node.module)
                    elif _module_is_known(full):
                        self.modules[alias.asname or alias.name] = full
                    else:
                        self.names[alias.asname or alias.name] = (node.module, alias.name)
            elif isinstance(node, ast.Import) and any(a.name.split(".")[0] == "keras" for a in node.names):
                self.imports.append(node)
                for alias in node.names:
                    if alias.name.split(".")[0] == "keras":
                        self.modules[alias.asname or "keras"] = alias.name if alias.asname else "keras"

    def resolve(self, node: ast.AST):
        """``(Keras module, name, chain node or None)`` when ``node`` names a Keras 1/2 object."""
        if isinstance(node, ast.Name):
            if node.id in self.names:
                return (*self.names[node.id], None)
            for module in self.stars:
                if node.id in table.CLASS_RENAMES or node.id in table.POSITIONAL or _modern_object(module, node.id):
                    return module, node.id, None
            return None
        parts, root = [], node
        while isinstance(root, ast.Attribute):
            parts.insert(0, root.attr)
            root = root.value
        if not (isinstance(root, ast.Name) and root.id in self.modules and parts):
            return None
        module = self.modules[root.id]
        while len(parts) > 1 and _module_is_known(f"{module}.{parts[0]}"):
            module = f"{module}.{parts.pop(0)}"
        return (module, parts[0], node) if len(parts) == 1 else None

    # -- calls ---------------------------------------------------------------------------------------------
    def arguments(self, call: ast.Call, positional_names: tuple):
        """The call's arguments as ``_Arg``s in source order, or None when a splat hides them."""
        args = []
        for index, node in enumerate(call.args):
            if isinstance(node, ast.Starred):
                self.note(call, "`*args` hides which Keras 1/2 arguments are passed: rename them by hand")
                return None
            start, end = self.source.span(node)
            name = positional_names[index] if index < len(positional_names) else None
            args.append(_Arg(name, node, start, end, start, True, self.source))
        for keyword in call.keywords:
            if keyword.arg is None:
                self.note(call, "`**kwargs` hides which Keras 1/2 arguments are passed: rename them by hand")
                return None
            start, end = self.source.span(keyword)
            args.append(_Arg(keyword.arg, keyword.value, start, end, self.source.span(keyword.value)[0], False,
                             self.source))
        return sorted(args, key=lambda a: a.start)

    def rewrite_arguments(self, call: ast.Call, args: list, modern: dict, renames: list, order: list) -> None:
        """Edit ``call``'s argument text from the Keras 1/2 ``args`` to the ``modern`` keyword dict: kept values
        keep their text, renamed keywords get their new name, merged or new values are written out."""
        named = [a for a in args if a.name is not None]
        plan: dict[int, tuple] = {}  # id(arg) -> (modern name, new text or None); absent: deleted
        pending = []
        for mname, mvalue in modern.items():
            source = next((a for a in named if a.value is mvalue and id(a) not in plan), None)
            if source is None:
                pending.append((mname, mvalue))
            else:
                plan[id(source)] = (mname, None)
        appended = []
        for mname, mvalue in pending:
            text = _render(mvalue, self.extra_imports)
            free = [a for a in named if id(a) not in plan]
            consumed = [a for a in free if _contains(mvalue, a.value)] or [
                a for a in free if any(_mentions(old, a.name) and _mentions(new, mname) for old, new in renames)]
            if consumed:
                plan[id(consumed[0])] = (mname, text)
                for arg in consumed[1:]:
                    plan[id(arg)] = None
            else:
                appended.append(f"{mname}={text}")
        edits, deleted, positional, index = [], [], True, 0
        for arg in args:
            action = plan.get(id(arg)) if arg.name is not None else (arg.name, None)
            if action is None and arg.name is not None:
                deleted.append(arg)
                continue
            mname, text = action
            if arg.positional and positional and (mname is None or (index < len(order) and order[index] == mname)):
                index += 1
                if text is not None:
                    edits.append(_Edit(arg.value_start, arg.end, text))
                continue
            if mname is None:
                self.note(call, "a positional argument would follow a keyword one: rewrite this call by hand")
                return
            positional = False
            if arg.positional:
                edits.append(_Edit(arg.start, arg.start, f"{mname}="))
            elif mname != arg.name:
                edits.append(_Edit(arg.start, arg.value_start, f"{mname}="))
            if text is not None:
                edits.append(_Edit(arg.value_start, arg.end, text))
        kept = [a for a in args if a not in deleted]
        edits += self._deletions(call, args, deleted, keep_parenthesis=bool(appended))
        if appended:
            joined = ", ".join(appended)
            if kept:
                edits.append(_Edit(kept[-1].end, kept[-1].end, ", " + joined))
            elif args:
                edits.append(_Edit(args[0].start, args[0].start, joined))
            else:
                end = self.source.span(call)[1] - 1
                edits.append(_Edit(end, end, joined))
        self.edits += edits

    def _deletions(self, call, args, deleted, keep_parenthesis) -> list:
        """Edits removing the ``deleted`` arguments with their commas."""
        edits, index = [], 0
        while index < len(args):
            if args[index] not in deleted:
                index += 1
                continue
            last = index
            while last + 1 < len(args) and args[last + 1] in deleted:
                last += 1
            if index > 0:
                edits.append(_Edit(args[index - 1].end, args[last].end, ""))
            elif last + 1 < len(args):
                edits.append(_Edit(args[0].start, args[last + 1].start, ""))
            else:
                end = args[last].end if keep_parenthesis else self.source.span(call)[1] - 1
                edits.append(_Edit(args[0].start, end, ""))
            index = last + 1
        return edits

    def translate(self, call, class_name, positional_names, function, order_of):
        """Rewrite ``call``'s arguments with ``function(kwargs) -> (modern name, kwargs, renames)``; returns the
        modern name, or None where nothing was rewritten."""
        args = self.arguments(call, positional_names)
        if args is None:
            return None
        given = {a.name: a.value for a in args if a.name is not None}
        try:
            modern_name, modern, renames = function(dict(given))
            order, accepted = order_of(modern_name)
            unknown = [k for k in modern if accepted is not None and k not in accepted]
            if unknown:
                self.note(call, f"{modern_name} has no argument {', '.join(map(repr, unknown))} in Keras 3: "
                                "drop or replace it by hand")
            unchanged = modern_name == class_name and list(modern) == list(given) and all(
                modern[k] is given[k] for k in given)
            if not unchanged:
                self.rewrite_arguments(call, args, modern, renames, order)
        except _Unrenderable as error:
            self.note(call, f"{class_name}: {error}")
            return None
        except Exception as error:  # the table refusing an argument is a line for hand work, not a crash
            self.note(call, f"{class_name}: cannot translate the arguments ({type(error).__name__}: {error})")
            return None
        return modern_name

    def layer_call(self, call: ast.Call, module: str, name: str) -> None:
        """A Keras 1/2 layer constructor (or ``merge``) call: names and arguments through the table."""
        if name in ("merge", "Merge"):
            self.merge_call(call, module, name)
            return

        def order_of(modern_name):
            target = getattr(importlib.import_module("lamina.layers"), modern_name, None)
            return _parameters(target) if target is not None else ([], None)

        if _modern_object(module, name) is None:
            return
        if name in table.POSITIONAL and len(call.args) > len(table.POSITIONAL[name]):
            self.note(call, f"{name} got more positional arguments than Keras 1/2 took: check it by hand")
            return

        def modern(kwargs):
            modern_name, modern, renames = table.modern_arguments(name, kwargs)
            return modern_name, {**modern, **{k: v for k, v in table.DEFAULTS.get(name, {}).items()
                                              if k not in modern}}, renames

        self.translate(call, name, table.POSITIONAL.get(name, ()), modern, order_of)

    def merge_call(self, call: ast.Call, module: str, name: str) -> None:
        """``merge([a, b], mode='concat')`` -> ``concatenate([a, b])``; ``Merge(mode=...)`` -> ``Concatenate()``.
        ``Merge([model_a, model_b])`` merges Sequential models: that stays on lamina.legacy."""
        if name == "Merge" and call.args:
            self.note(call, f"Merge of Sequential models: {_HINTS['Merge']}")
            return
        mode = next((k.value for k in call.keywords if k.arg == "mode"), None)
        if mode is not None and not (isinstance(mode, ast.Constant) and isinstance(mode.value, str)):
            self.note(call, f"{name}(mode=...) with a computed or callable mode: rewrite with a Lambda layer by hand")
            return
        layers = importlib.import_module("lamina.layers")
        function_form = name == "merge"

        def merged(kwargs):
            inputs = {"inputs": kwargs.pop("inputs")} if "inputs" in kwargs else {}
            modern_name, modern, renames = table.modern_arguments("Merge", kwargs)
            if modern_name == "Merge" or not hasattr(layers, modern_name):
                raise ValueError(f"keras1_arguments has no Keras 3 layer for Merge(mode={mode and mode.value!r})")
            return (modern_name.lower() if function_form else modern_name), {**inputs, **modern}, renames

        def order_of(modern_name):
            return _parameters(getattr(layers, modern_name))

        positional = ("inputs", "mode", "concat_axis", "dot_axes") if function_form else ()
        modern_name = self.translate(call, name, positional, merged, order_of)
        if modern_name is None:
            return
        self.rename_callee(call.func, name, "lamina.layers", modern_name)

    def rename_callee(self, func: ast.AST, name: str, module: str, modern_name: str) -> None:
        """Point one call at ``module.modern_name`` (imported for it)."""
        if isinstance(func, ast.Name):
            self.rename(func, modern_name)
            self.skip_nodes.add(id(func))
            self.call_renames[func.id] = self.call_renames.get(func.id, 0) + 1
            self.extra_imports[(module, modern_name)] = None
        else:
            self.rename(func, f"{module}.{modern_name}")
            self.skip_nodes.add(id(func))
            self.extra_imports[("import", module)] = None

    def model_call(self, call: ast.Call, name: str) -> None:
        if name == "Model":
            renames = MODEL_ARGUMENT_RENAMES["Model"]
            self.translate(call, name, ("input", "output"), lambda kwargs: _renamed(name, kwargs, renames),
                           lambda _: (["inputs", "outputs"], None))

    def optimizer_call(self, call: ast.Call, name: str) -> None:
        """``SGD(lr=0.01, decay=1e-6)`` -> ``SGD(learning_rate=InverseTimeDecay(0.01, ...))``, Keras 1's defaults
        written out where Keras 3's differ (the numbers stay the same)."""
        legacy = getattr(importlib.import_module("lamina.legacy.optimizers"), name, None)
        modern_class = getattr(importlib.import_module("lamina.optimizers"), name, None)
        if legacy is None or modern_class is None:
            return
        positional = ("lr",) + legacy.keras1_positional[1:]

        def modern(kwargs):
            renames = []
            if "lr" in kwargs:
                kwargs["learning_rate"] = kwargs.pop("lr")
                renames.append(("lr", "learning_rate"))
            for key, value in legacy.keras1_defaults.items():
                kwargs.setdefault(key, value)
            decay = kwargs.pop("decay", None)
            if decay is not None and decay != 0:
                rate = kwargs.get("learning_rate", legacy.keras1_defaults.get("learning_rate"))
                if rate is None:
                    rate = inspect.signature(modern_class.__init__).parameters["learning_rate"].default
                schedule = f"InverseTimeDecay({_render(rate, {})}, decay_steps=1, decay_rate={_render(decay, {})})"
                kwargs["learning_rate"] = _Code(schedule, (rate, decay))
                renames.append(("lr decay", "learning_rate"))
                self.extra_imports[("lamina.optimizers.schedules", "InverseTimeDecay")] = None
            if "clipnorm" in kwargs:
                kwargs["global_clipnorm"] = kwargs.pop("clipnorm")
                renames.append(("clipnorm", "global_clipnorm"))
            return name, kwargs, renames

        self.translate(call, name, positional, modern, lambda _: _parameters(modern_class))

    def method_call(self, call: ast.Call, method: str, receiver: str) -> None:
        """``model.fit(nb_epoch=...)``, ``show_accuracy``, ``fit_generator``, ``predict_proba``, ..."""
        keywords = {k.arg for k in call.keywords}
        is_model = receiver in self.models
        if method == "compile":
            self.compile_call(call, receiver)
            return
        if method == "predict_proba" and is_model:
            self.rename_method(call, "predict")
        elif method == "predict_classes" and is_model:
            self.note(call, "predict_classes is gone in Keras 3: use np.argmax(model.predict(x), axis=-1) for "
                            "softmax outputs or (model.predict(x) > 0.5).astype('int32') for sigmoid ones")
        elif method in ("get_output", "get_input"):
            self.note(call, f"{method}(train=...) reads a Keras 0.3 graph: call the layer on tensors or build a "
                            "lamina.Model from its inputs to these outputs")
        if method not in _FIT_METHODS or not (is_model or keywords & {"nb_epoch", "show_accuracy",
                                                                      "samples_per_epoch", "nb_val_samples"}):
            return
        for word in ("samples_per_epoch", "nb_val_samples"):
            if word in keywords:
                self.note(call, f"{word} counts samples; Keras 3 counts batches (steps_per_epoch/validation_steps"
                                " = samples // batch size): rewrite it by hand")
        if method in _GENERATOR_METHODS:
            if len(call.args) > 1:
                self.note(call, f"{method} with positional counts: write {_GENERATOR_METHODS[method]}(generator, "
                                "steps_per_epoch=..., epochs=...) by hand")
                return
            self.rename_method(call, _GENERATOR_METHODS[method])
        if method == "evaluate" and "show_accuracy" not in keywords:
            self.evaluates.setdefault(receiver, []).append(call)
        if "show_accuracy" in keywords:
            value = next(k.value for k in call.keywords if k.arg == "show_accuracy")
            if not (isinstance(value, ast.Constant) and value.value is False):
                self.accuracy_receivers.setdefault(receiver, []).append(call)
        self.translate(call, method, (), lambda kw: _fit_arguments(method, kw, len(call.args)),
                       lambda _: ([], None))

    def compile_call(self, call: ast.Call, receiver: str) -> None:
        """``compile(class_mode=...)`` loses the argument; ``optimizer='adam'`` becomes the modern optimizer
        with Keras 1's defaults where they differ (``Adam(epsilon=1e-08)``), so the numbers stay the same."""
        self.compiles.setdefault(receiver, []).append(call)
        legacy = importlib.import_module("lamina.legacy.optimizers")

        def modern(kwargs):
            kwargs = _dropped(kwargs, "class_mode")
            name = kwargs.get("optimizer")
            if isinstance(name, str) and name.lower() in legacy.KERAS1_OPTIMIZERS:
                klass = legacy.KERAS1_OPTIMIZERS[name.lower()]
                if klass.keras1_defaults:
                    self.extra_imports[("lamina.optimizers", klass.__name__)] = None
                    arguments = ", ".join(f"{k}={v!r}" for k, v in klass.keras1_defaults.items())
                    kwargs["optimizer"] = _Code(f"{klass.__name__}({arguments})", (name,))
            return "compile", kwargs, []

        self.translate(call, "compile", ("optimizer",), modern, lambda _: (["optimizer"], None))

    def rename_method(self, call: ast.Call, new: str) -> None:
        start, end = self.source.span(call.func)
        self.edits.append(_Edit(end - len(call.func.attr), end, new))

    def add_accuracy_metrics(self) -> None:
        """``show_accuracy=True`` asked fit/evaluate for accuracy: Keras 3 reports what ``compile`` lists."""
        for receiver, calls in self.accuracy_receivers.items():
            compiles = self.compiles.get(receiver, [])
            evaluates = [c for c in self.evaluates.get(receiver, []) if c not in calls]
            if len(compiles) != 1:
                for call in calls:
                    self.note(call, f"show_accuracy=True dropped: add metrics=['accuracy'] to {receiver}.compile "
                                    "by hand (no single compile call of it in this file)")
                continue
            compile_call = compiles[0]
            metrics = next((k for k in compile_call.keywords if k.arg == "metrics"), None)
            if metrics is None:
                end = self.source.span(compile_call)[1] - 1
                before = self.source.text[:end].rstrip()
                separator = "" if before.endswith("(") else " " if before.endswith(",") else ", "
                self.edits.append(_Edit(end, end, f"{separator}metrics=['accuracy']"))
                for call in evaluates:
                    self.note(call, "evaluate now returns [loss, accuracy]: compile lists metrics=['accuracy'] "
                                    "for the show_accuracy=True elsewhere")
            elif "accura" not in self.source.segment(metrics.value) and "'acc'" not in self.source.segment(
                    metrics.value):
                self.note(compile_call, "show_accuracy=True dropped: add 'accuracy' to these metrics by hand")

    # -- the whole file ------------------------------------------------------------------------------------
    def visit(self) -> None:
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
                resolved = self.resolve(node.value.func)
                if resolved and resolved[1] in _MODEL_FACTORIES:
                    self.models.update(self.source.segment(t) for t in node.targets)
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call):
                self.visit_call(node)
            elif isinstance(node, ast.FunctionDef) and node.name == "get_output_shape_for":
                self.note(node, "get_output_shape_for is Keras 1's compute_output_shape: rename it (and check "
                                "the custom layer's build/call) by hand")
            elif isinstance(node, ast.Constant) and node.value in _ACCURACY_LOGS and self.is_log_name(node):
                text = self.source.segment(node)
                self.edits.append(_Edit(*self.source.span(node), text.replace(node.value, _ACCURACY_LOGS[node.value])))
            elif isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Attribute) and t.attr == "trainable_weights" for t in node.targets):
                self.note(node, "assigning trainable_weights is Keras 1: create weights with self.add_weight")
        self.add_accuracy_metrics()
        self.visit_names()

    def is_log_name(self, node: ast.Constant) -> bool:
        """Whether a string names a logged metric: ``history.history['acc']`` or ``monitor='val_acc'``."""
        parent = getattr(node, "_parent_attr", None)
        if isinstance(parent, ast.Subscript) and parent.slice is node:
            return isinstance(parent.value, ast.Attribute) and parent.value.attr == "history"
        return isinstance(parent, ast.keyword) and parent.arg == "monitor"

    def visit_call(self, call: ast.Call) -> None:
        resolved = self.resolve(call.func)
        if resolved is not None:
            module, name, _ = resolved
            if name in _HINTS and name != "Merge":
                return
            if name == "Model" and _modern_object(module, name) == ("lamina.models", "Model"):
                self.model_call(call, name)
            elif _is_layer_module(module):
                self.layer_call(call, module, name)
            elif module.startswith("keras.optimizers"):
                self.optimizer_call(call, name)
            elif name in MODEL_ARGUMENT_RENAMES:
                renames = MODEL_ARGUMENT_RENAMES[name]
                self.translate(call, name, (), lambda kwargs: _renamed(name, kwargs, renames),
                               lambda _: ([], None))
        elif isinstance(call.func, ast.Attribute):
            self.method_call(call, call.func.attr, self.source.segment(call.func.value))

    def visit_names(self) -> None:
        """Old names in the text: renamed where imported plainly, pointed at lamina.legacy where kept."""
        for node in ast.walk(self.tree):
            if id(node) in self.skip_nodes:
                continue
            if isinstance(node, ast.Attribute) and not isinstance(getattr(node, "_parent_attr", None), ast.Attribute):
                resolved = self.resolve(node)
                if resolved is not None:
                    self.visit_chain(node, *resolved[:2])
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in self.modules:
                resolved = self.resolve(node)
                if resolved is None:
                    continue
                module, name, _ = resolved
                modern = _modern_object(module, name)
                if modern is None:
                    self.note(node, f"{name} has no Keras 3 counterpart: {_HINTS.get(name, 'kept on lamina.legacy')}")
                    if node.id not in self.names:  # from a star import: the modern star lacks it
                        self.extra_imports[(_legacy_module(module), name)] = None
                elif modern[1] != name and node.id == name:
                    self.rename(node, modern[1])

    def visit_chain(self, node: ast.Attribute, module: str, name: str) -> None:
        """``keras.layers.convolutional.Convolution2D`` -> ``keras.layers.Conv2D`` (``keras`` is lamina now)."""
        root = node
        while isinstance(root, ast.Attribute):
            root = root.value
        root_target = _module_target(self.modules[root.id])
        if not _modern_modules(self.modules[root.id]):
            self.note(node, f"`{self.source.segment(node)}`: {_HINTS['K']}" if module == "keras.backend" else
                      f"`{self.source.segment(node)}` has no Keras 3 counterpart: kept on lamina.legacy")
            return
        modern = _modern_object(module, name)
        if modern is not None and (modern[0] + ".").startswith(root_target + "."):
            text = root.id + modern[0][len(root_target):] + "." + modern[1]
        else:
            self.note(node, f"{name} has no Keras 3 counterpart: {_HINTS.get(name, 'kept on lamina.legacy')}")
            text = f"{_legacy_module(module)}.{name}"
            self.extra_imports[("import", _legacy_module(module))] = None
        if text != self.source.segment(node):
            self.rename(node, text)

    def rename(self, node: ast.AST, text: str) -> None:
        """Replace a name (or dotted name); lines of a call aligned under its parenthesis move with it."""
        start, end = self.source.span(node)
        self.edits.append(_Edit(start, end, text))
        call = getattr(node, "_parent_attr", None)
        delta = len(text) - (end - start)
        if not (isinstance(call, ast.Call) and call.func is node and delta and node.lineno == node.end_lineno):
            return
        column = end - self.source.starts[node.end_lineno - 1] + 1  # just after the "("
        for lineno in range(call.lineno + 1, call.end_lineno + 1):
            line_start = self.source.starts[lineno - 1]
            line = self.source.lines[lineno - 1]
            if len(line) - len(line.lstrip(" ")) == column:
                removed = max(-delta, 0)
                self.edits.append(_Edit(line_start, line_start + removed, " " * max(delta, 0), optional=True))

    def rewrite_imports(self) -> None:
        """Each Keras import statement becomes the lamina imports of the names it brought in."""
        newline = "\r\n" if "\r\n" in self.source.text else "\n"
        statements = sorted(self.imports, key=lambda n: (n.lineno, n.col_offset))
        texts = {id(node): _import_lines(self, node) for node in statements}
        top = [node for node in statements if node.col_offset == 0]
        pending = [f"import {k[1]}" if k[0] == "import" else f"from {k[0]} import {k[1]}" for k in self.extra_imports]
        for node in statements:
            lines = list(dict.fromkeys(texts[id(node)]))
            if not lines and pending and node.col_offset == 0:  # an import left empty takes the new ones
                lines, pending = pending, []
            self.edits.append(_Edit(*self.source.span(node), (newline + " " * node.col_offset).join(lines)))
        if pending and top:  # after the line of the last import, its comment included
            end = self.source.starts[top[-1].end_lineno]
            end -= len(self.source.lines[top[-1].end_lineno - 1]) - len(self.source.lines[top[-1].end_lineno - 1]
                                                                        .rstrip("\r\n"))
            self.edits.append(_Edit(end, end, "".join(newline + line for line in pending)))
        elif pending:
            first = _first_statement(self.tree)
            text = "".join(line + newline for line in pending)
            start = self.source.offset(first.lineno, 0) if first is not None else len(self.source.text)
            self.edits.append(_Edit(start, start, text))

    def run(self) -> tuple[str, list]:
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                child._parent_attr = node
        self.collect_imports()
        self.visit()
        self.rewrite_imports()
        return _apply(self.source.text, self.edits, self)


def _renamed(name: str, kwargs: dict, renames: dict):
    return name, {renames.get(k, k): v for k, v in kwargs.items()}, [(k, renames[k]) for k in kwargs if k in renames]


def _dropped(kwargs: dict, key: str) -> dict:
    return {k: v for k, v in kwargs.items() if k != key}


def _fit_arguments(method: str, kwargs: dict, positional: int):
    """fit/evaluate arguments: ``nb_epoch`` -> ``epochs``; ``show_accuracy`` dropped (compile gets metrics).
    A ``fit`` naming no epoch count trained Keras 1's default number of epochs: that is written out."""
    name, modern, renames = _renamed(method, _dropped(kwargs, "show_accuracy"), MODEL_ARGUMENT_RENAMES["fit"])
    if method == "fit" and "epochs" not in modern and positional < 4:
        from lamina.legacy.models import KERAS1_DEFAULT_EPOCHS

        modern["epochs"] = KERAS1_DEFAULT_EPOCHS
    return name, modern, renames


def _import_lines(upgrader: _Upgrader, node: ast.AST) -> list[str]:
    """The lamina import lines replacing one Keras import statement."""
    if isinstance(node, ast.Import):
        lines, others = [], []
        for alias in node.names:
            if alias.name.split(".")[0] != "keras":
                others.append(alias.name + (f" as {alias.asname}" if alias.asname else ""))
            elif alias.asname is None:
                lines.append("import lamina as keras")
            else:
                lines.append(_module_import(_module_target(alias.name), alias.asname))
        return ([f"import {', '.join(others)}"] if others else []) + lines
    by_module: dict[str, list[str]] = {}
    for alias in node.names:
        local = alias.asname or alias.name
        full = f"{node.module}.{alias.name}"
        if alias.name == "*":
            for module in _modern_modules(node.module) or (_legacy_module(node.module),):
                by_module.setdefault(module, []).append("*")
            continue
        if _module_is_known(full):
            target = _module_target(full)
            package, _, leaf = target.rpartition(".")
            by_module.setdefault(package, []).append(leaf if leaf == local else f"{leaf} as {local}")
            continue
        uses = sum(1 for n in ast.walk(upgrader.tree) if isinstance(n, ast.Name) and n.id == local
                   and isinstance(n.ctx, ast.Load))
        if uses and upgrader.call_renames.get(local, 0) == uses:
            continue  # every use became another name (merge -> concatenate, ...)
        modern = _modern_object(node.module, alias.name)
        if modern is None:
            by_module.setdefault(_legacy_module(node.module), []).append(
                alias.name + (f" as {alias.asname}" if alias.asname else ""))
            continue
        module, modern_name = modern
        by_module.setdefault(module, []).append(modern_name + (f" as {alias.asname}" if alias.asname else ""))
    for module, name in list(upgrader.extra_imports):
        if module in by_module:
            by_module[module].append(name)
            del upgrader.extra_imports[(module, name)]
    return [f"from {module} import {', '.join(dict.fromkeys(names))}" for module, names in by_module.items()]


def _module_import(target: str, alias: str) -> str:
    if "." not in target:
        return f"import {target} as {alias}"
    package, _, leaf = target.rpartition(".")
    return f"from {package} import {leaf}" + ("" if leaf == alias else f" as {alias}")


def _first_statement(tree: ast.Module):
    """Where new imports go when the file had none from Keras: after the docstring and __future__ imports."""
    for index, node in enumerate(tree.body):
        if index == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue
        if isinstance(node, ast.ImportFrom) and node.module == "__future__":
            continue
        return node
    return None


def _apply(text: str, edits: list[_Edit], upgrader: _Upgrader) -> tuple[str, list]:
    """``text`` with ``edits`` made, and the edits made; an edit inside a larger one is dropped and its line
    listed."""
    out, cursor, applied = [], 0, []
    for edit in sorted(set(edits), key=lambda e: (e.start, e.end)):
        if edit.optional and (edit.start < cursor or any(
                e.start < edit.end and edit.start < e.end and e is not edit for e in edits)):
            continue
        if edit.start < cursor:
            line = text.count("\n", 0, edit.start) + 1
            upgrader.findings.add(Finding(line, "two rewrites overlap here: check this line by hand"))
            continue
        out.append(text[cursor:edit.start])
        out.append(edit.text)
        cursor = edit.end
        applied.append(edit)
    out.append(text[cursor:])
    return "".join(out), applied


def _moved(findings: list, source: _Source, new_text: str, edits: list) -> list:
    """``findings`` with their lines counted in the rewritten text."""
    moved = []
    for finding in findings:
        offset = source.starts[finding.line - 1]
        shift = sum(len(e.text) - (e.end - e.start) for e in edits if e.end <= offset)
        within = next((e for e in edits if e.start < offset < e.end), None)
        new_offset = offset + shift if within is None else within.start + shift
        moved.append(Finding(new_text.count("\n", 0, new_offset) + 1, finding.message))
    return moved


class Result(NamedTuple):
    """The rewritten text and the lines left for hand work (sorted), counted in the original text
    (``findings``) and in the rewritten one (``rewritten_findings``)."""

    text: str
    findings: list
    rewritten_findings: list


def upgrade_source(text: str) -> Result:
    """Rewrite the Keras 1/2 program ``text`` as modern lamina code; see the module docstring."""
    upgrader = _Upgrader(text)
    new_text, edits = upgrader.run()
    try:
        ast.parse(new_text)
    except SyntaxError as error:
        findings = [Finding(error.lineno or 1, f"the rewrite did not parse ({error.msg}): file left as is")]
        return Result(text, findings, findings)
    findings = sorted(upgrader.findings)
    return Result(new_text, findings, _moved(findings, upgrader.source, new_text, edits))


def upgrade_file(path: str, write: bool = False, out=None) -> list[Finding]:
    """Print ``path``'s diff to ``out`` (stdout), rewrite it when ``write``; returns the lines left, counted
    in the file as it is afterwards."""
    out = out or sys.stdout
    with open(path, encoding="utf-8", newline="") as handle:
        text = handle.read()
    result = upgrade_source(text)
    out.writelines(difflib.unified_diff(io.StringIO(text).readlines(), io.StringIO(result.text).readlines(),
                                        path, path))
    if write and result.text != text:
        from lamina.utils.atomic import atomic_path

        with atomic_path(path) as staging:
            with open(staging, "w", encoding="utf-8", newline="") as handle:
                handle.write(result.text)
            shutil.copymode(path, staging)
    return result.rewritten_findings if write else result.findings


def main(argv: list | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lamina.legacy.upgrade", description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="+", help="Python files written for Keras 1 or 2")
    parser.add_argument("-w", "--write", action="store_true", help="rewrite the files in place")
    options = parser.parse_args(argv)
    left = False
    for path in options.files:
        for finding in upgrade_file(path, write=options.write):
            print(f"{path}:{finding.line}: {finding.message}", file=sys.stderr)
            left = True
    return 1 if left else 0


if __name__ == "__main__":
    sys.exit(main())
