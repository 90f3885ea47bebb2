"""Normalization layers: batch, layer, group, RMS, unit and spectral normalization."""

__all__ = []
