"""LoRA (low-rank adaptation, Hu et al., 2021): fine-tune a frozen weight through two small trainable factors.

``enable_lora(rank)`` freezes the layer's weight ``W`` (``kernel``, or ``embeddings`` for Embedding) and adds
``lora_<W>_a`` of shape ``W.shape[:-1] + (rank,)`` and ``lora_<W>_b`` of shape ``(rank, W.shape[-1])``; the
layer then computes with ``W + (lora_alpha / rank) * a @ b``. ``b`` starts at zero, so enabling LoRA leaves
the outputs unchanged until training moves the factors. As in Keras, the factors are float32 and share the
weight's regularizer; a weight with a constraint cannot take LoRA.

Weights files (``.weights.h5``, the ``.keras`` zip) hold what Keras 3 writes for these layers: only the
weight, with the update merged in, and the bias; loading assigns the weight and resets both factors to zero.
So a file loads into the same layer with or without LoRA enabled, and matches Keras' files.
"""

from __future__ import annotations

import numbers

from lamina import initializers, ops


def _check_rank(value, name: str, owner: str, allow_none: bool) -> None:
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise ValueError(f"Invalid value for argument `{name}` of {owner}. Expected a positive integer"
                         f"{' or None' if allow_none else ''}. Received: {name}={value!r}")


class LoRA:
    """Mixin of the layers that accept ``lora_rank``/``lora_alpha`` and ``enable_lora``.

    The layer stores its adapted weight as ``_<target>`` and exposes ``<target>`` through
    ``lora_weight(target)``, which merges the factors in when LoRA is enabled (what Keras' property returns).
    """

    lora_target = "kernel"

    def _init_lora(self, lora_rank: int | None, lora_alpha: float | None) -> None:
        owner = type(self).__name__
        _check_rank(lora_rank, "lora_rank", owner, allow_none=True)
        if lora_alpha is not None and (isinstance(lora_alpha, bool) or not isinstance(lora_alpha, numbers.Real)
                                       or lora_alpha <= 0):
            raise ValueError(f"Invalid value for argument `lora_alpha` of {owner}. Expected a positive number or "
                             f"None. Received: lora_alpha={lora_alpha!r}")
        self.lora_rank = lora_rank
        self.lora_alpha = lora_alpha if lora_alpha is not None else lora_rank
        self.lora_enabled = False

    def _build_lora(self) -> None:
        """End of ``build``: a layer constructed with ``lora_rank`` starts adapted."""
        if self.lora_rank:
            self.built = True  # its weights exist; the build wrapper confirms it on return
            self.enable_lora(self.lora_rank, lora_alpha=self.lora_alpha)

    def enable_lora(self, rank: int, lora_alpha: float | None = None, a_initializer="he_uniform",
                    b_initializer="zeros") -> None:
        """Freeze the weight and train ``rank``-rank factors instead (scaled by ``lora_alpha / rank``;
        ``lora_alpha`` defaults to ``rank``). Only once per layer, after it is built."""
        owner, target = type(self).__name__, self.lora_target
        if getattr(self, f"{target}_constraint") is not None:
            raise ValueError(f"LoRA is incompatible with weight constraints: to enable LoRA on {owner} "
                             f"'{self.name}', remove its `{target}_constraint` argument.")
        if not self.built:
            raise ValueError(f"Cannot enable LoRA on {owner} '{self.name}': the layer isn't built yet.")
        if self.lora_enabled:
            raise ValueError(f"LoRA is already enabled on {owner} '{self.name}'; it can only be enabled once.")
        _check_rank(rank, "rank", f"{owner}.enable_lora", allow_none=False)
        base = getattr(self, f"_{target}")
        regularizer = getattr(self, f"{target}_regularizer")
        shape = tuple(base.shape)
        for name, factor_shape, initializer in ((f"lora_{target}_a", shape[:-1] + (rank,), a_initializer),
                                                 (f"lora_{target}_b", (rank, shape[-1]), b_initializer)):
            setattr(self, name, self.add_weight(shape=factor_shape, initializer=initializers.get(initializer),
                                                dtype="float32", regularizer=regularizer, name=name))
        base.trainable = False
        self.lora_enabled = True
        self.lora_rank = rank
        self.lora_alpha = lora_alpha if lora_alpha is not None else rank

    def _lora_merged(self, base):
        """``base`` plus the scaled low-rank update when LoRA is enabled, else ``base`` itself."""
        if not self.lora_enabled:
            return base
        target = self.lora_target
        a, b = getattr(self, f"lora_{target}_a"), getattr(self, f"lora_{target}_b")
        update = ops.matmul(a, b) * (self.lora_alpha / self.lora_rank)
        return ops.cast(ops.add(base, update), self.compute_dtype)

    def _lora_factors(self) -> tuple:
        """``(lora_<W>_a, lora_<W>_b)`` when LoRA is enabled, else ``()``."""
        if not self.lora_enabled:
            return ()
        target = self.lora_target
        return getattr(self, f"lora_{target}_a"), getattr(self, f"lora_{target}_b")

    def _weights_file_entries(self) -> list:
        """``(variable, value to write)`` for each variable a weights file holds for this layer, in Keras'
        order: the adapted weight first, then the others (the bias). As in Keras, the LoRA factors are not
        stored: the weight is written with their update merged in (in the compute dtype, as the layer uses it)."""
        if not self.built:
            return []
        target = self.lora_target
        base = getattr(self, f"_{target}")
        skipped = (base, *self._lora_factors())
        others = [v for v in list(self._trainable_variables) + list(self._non_trainable_variables)
                  if not any(v is s for s in skipped)]
        return [(base, getattr(self, target))] + [(v, v) for v in others]

    def _weights_file_loaded(self) -> None:
        """After its weights are loaded, the weight holds any saved update, so (as Keras does) both factors
        restart at zero and the layer computes with the loaded weight as it is."""
        for factor in self._lora_factors():
            factor.assign(ops.zeros(tuple(factor.shape), dtype=factor.dtype))

    def _lora_config(self) -> dict:
        """Keras writes ``lora_rank`` and ``lora_alpha`` only when LoRA is configured."""
        return {"lora_rank": self.lora_rank, "lora_alpha": self.lora_alpha} if self.lora_rank else {}


def lora_weight(target: str) -> property:
    """The public ``target`` attribute of a ``LoRA`` layer: its weight, with the LoRA update merged in."""
    private = f"_{target}"

    def weight(self):
        base = getattr(self, private)
        return self._lora_merged(base) if self.lora_enabled else base  # read by every call: one frame

    return property(weight, doc=f"The ``{target}`` weight (with the LoRA update merged in when LoRA is enabled).")

