"""JAX implementations of lamina's optimizer engine module (mirrors lamina/backend/torch/optimizer.py)."""

from __future__ import annotations
