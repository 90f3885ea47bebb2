"""JAX implementations of lamina's nn engine module (mirrors lamina/backend/torch/nn.py)."""

from __future__ import annotations
