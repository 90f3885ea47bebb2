"""JAX implementations of lamina's linalg engine module (mirrors lamina/backend/torch/linalg.py)."""

from __future__ import annotations
