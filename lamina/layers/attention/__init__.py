"""Attention layers: Attention, AdditiveAttention, MultiHeadAttention."""

__all__ = []
