"""JAX implementations of lamina's numpy engine module (mirrors lamina/backend/torch/numpy.py)."""

from __future__ import annotations
