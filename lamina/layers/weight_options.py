"""WeightOptions: the initializer, regularizer and constraint of a layer's named weights, declared once.

Keras layers take three options per weight role (``kernel_initializer``, ``kernel_regularizer``,
``kernel_constraint``, then the same for ``bias``, ``recurrent``, ``gamma``, ...). A layer declares its roles
once, ``WeightOptions("kernel", "bias")``, and the declaration resolves the arguments (with errors that name
the layer and the argument), creates the weights with them and serializes them in Keras' config form.
"""

from __future__ import annotations

from collections.abc import Mapping

from lamina import constraints, initializers, regularizers

# Keras lists a layer's options kind by kind: every initializer, then every regularizer, then every constraint.
_KINDS = (("initializer", initializers), ("regularizer", regularizers), ("constraint", constraints))


class WeightOptions:
    """The options of the weight roles ``roles``, stored on a layer as ``<role>_<kind>`` attributes.

    Example:
        >>> options = WeightOptions("kernel", "bias")
        >>> options.names()[:2]
        ('kernel_initializer', 'bias_initializer')
    """

    def __init__(self, *roles: str):
        self.roles = tuple(roles)

    def names(self) -> tuple:
        """The constructor arguments of the roles, in Keras' config order."""
        return tuple(f"{role}_{kind}" for kind, _ in _KINDS for role in self.roles)

    def store(self, layer, arguments: Mapping, owner: str | None = None) -> None:
        """Resolve each of ``names()`` from ``arguments`` (e.g. the constructor's ``locals()``) and set it on
        ``layer``. An unknown identifier raises a ValueError naming ``owner`` (default: the layer's class)
        and the argument."""
        owner = owner or type(layer).__name__
        for kind, module in _KINDS:
            for role in self.roles:
                name = f"{role}_{kind}"
                value = arguments[name]
                try:
                    resolved = module.get(value)
                except (ValueError, TypeError) as error:
                    raise ValueError(
                        f"Invalid value for argument `{name}` of {owner}. Expected None or a known {kind} (a name, "
                        f"a config dict or an instance). Received: {name}={value!r} ({error})"
                    ) from error
                setattr(layer, name, resolved)

    def add(self, layer, role: str, shape, name: str | None = None, initializer=None, **kwargs):
        """``layer.add_weight`` with ``role``'s options (``initializer`` overrides the stored one), named
        ``name`` (default: the role)."""
        return layer.add_weight(shape=shape, initializer=initializer or getattr(layer, f"{role}_initializer"),
                                regularizer=getattr(layer, f"{role}_regularizer"),
                                constraint=getattr(layer, f"{role}_constraint"), name=name or role, **kwargs)

    def config(self, layer) -> dict:
        """The roles' options of ``layer``, serialized as Keras' ``get_config`` has them."""
        return {f"{role}_{kind}": module.serialize(getattr(layer, f"{role}_{kind}"))
                for kind, module in _KINDS for role in self.roles}
