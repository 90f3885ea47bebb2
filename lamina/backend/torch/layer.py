"""The torch side of a Layer: every lamina layer is a ``torch.nn.Module`` whose parameters are its Variables."""

from __future__ import annotations

import torch


class TorchLayer(torch.nn.Module):
    """Registers variables as parameters and sublayers as submodules, so torch tools see the model whole."""

    def _engine_init(self):
        torch.nn.Module.__init__(self)

    def _register_variable(self, variable):
        key = variable.name
        suffix = 1
        while key in self._parameters or key in self._modules:
            key = f"{variable.name}_{suffix}"
            suffix += 1
        self._parameters[key] = variable._value

    def _register_sublayer(self, key, layer):
        if key not in self._modules or self._modules[key] is not layer:
            self._modules[key] = layer

    def _unregister_sublayer(self, layer):
        for key, module in list(self._modules.items()):
            if module is layer:
                del self._modules[key]

    def forward(self, *args, **kwargs):
        return self(*args, **kwargs)
