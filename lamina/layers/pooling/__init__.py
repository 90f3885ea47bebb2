"""Pooling layers: max and average pooling 1D/2D/3D and their global forms."""

__all__ = []
