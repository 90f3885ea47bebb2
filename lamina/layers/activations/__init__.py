"""Activation layers: Activation, ..."""
