"""Torch implementations of ``lamina.ops.math``."""

from __future__ import annotations
