"""JAX implementations of lamina's random engine module (mirrors lamina/backend/torch/random.py)."""

from __future__ import annotations
