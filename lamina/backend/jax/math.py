"""JAX implementations of lamina's math engine module (mirrors lamina/backend/torch/math.py)."""

from __future__ import annotations
