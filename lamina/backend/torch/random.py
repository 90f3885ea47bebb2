"""Torch implementations of ``lamina.ops.random``."""

from __future__ import annotations
