"""Reshaping layers: Flatten, Reshape, Permute, RepeatVector, ..."""
