"""Torch implementations of ``lamina.ops.linalg``."""

from __future__ import annotations
