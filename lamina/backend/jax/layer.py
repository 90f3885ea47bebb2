"""The JAX side of a Layer: a plain Python object (state lives in lamina Variables)."""

from __future__ import annotations


class JaxLayer:
    """JAX has no module system to register with: these hooks do nothing."""

    def _engine_init(self):
        pass

    def _register_variable(self, variable):
        pass

    def _register_sublayer(self, key, layer):
        pass

    def _unregister_sublayer(self, layer):
        pass
