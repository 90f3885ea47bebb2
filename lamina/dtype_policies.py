"""Dtype policies: the dtype a layer computes in and the dtype its variables are stored in."""

from __future__ import annotations

from lamina import config, serialization
from lamina.backend.common.dtypes import standardize_dtype

_MIXED = {"mixed_float16": "float16", "mixed_bfloat16": "bfloat16"}
_global_policy = None


class DTypePolicy:
    """``DTypePolicy("float32")``, or ``"mixed_float16"``: compute in float16, keep variables in float32."""

    def __init__(self, name: str | None = None):
        name = name or config.floatx()
        if name in _MIXED:
            self._compute_dtype, self._variable_dtype = _MIXED[name], "float32"
        else:
            self._compute_dtype = self._variable_dtype = standardize_dtype(name)
            name = self._compute_dtype
        self._name = name

    @property
    def name(self) -> str:
        return self._name

    @property
    def compute_dtype(self) -> str:
        return self._compute_dtype

    @property
    def variable_dtype(self) -> str:
        return self._variable_dtype

    def get_config(self) -> dict:
        return {"name": self._name}

    @classmethod
    def from_config(cls, config: dict) -> DTypePolicy:
        return cls(**config)

    def __eq__(self, other):
        return isinstance(other, DTypePolicy) and other.name == self.name

    def __hash__(self):
        return hash(self._name)

    def __repr__(self):
        return f'<DTypePolicy "{self._name}">'


def get(identifier) -> DTypePolicy:
    """A policy from None (the global one), a name, a policy or a serialized policy."""
    if identifier is None:
        return dtype_policy()
    if isinstance(identifier, DTypePolicy):
        return identifier
    if isinstance(identifier, dict):
        return DTypePolicy.from_config(identifier.get("config", identifier))
    return DTypePolicy(standardize_dtype(identifier) if identifier not in _MIXED else identifier)


def set_dtype_policy(policy) -> None:
    """Set the policy new layers use when they are given no ``dtype``."""
    global _global_policy
    _global_policy = None if policy is None else get(policy)


def dtype_policy() -> DTypePolicy:
    return _global_policy or DTypePolicy(config.floatx())


FloatDTypePolicy = DTypePolicy  # Keras' older name for the same policy


def serialize(policy: DTypePolicy) -> dict:
    """The policy's Keras config: ``{"module", "class_name": "DTypePolicy", "config": {"name": ...}, ...}``."""
    return serialization.serialize(policy)


def deserialize(config, custom_objects=None) -> DTypePolicy:
    """A policy from ``serialize``'s output (``"FloatDTypePolicy"`` configs included)."""
    return serialization.deserialize(config, custom_objects, kind="dtype policy",
                                     module_objects={"DTypePolicy": DTypePolicy, "FloatDTypePolicy": DTypePolicy})
