"""Regularization layers: Dropout, ActivityRegularization, ..."""

from lamina.layers.regularization.activity_regularization import ActivityRegularization
from lamina.layers.regularization.dropout import Dropout

__all__ = [
    "ActivityRegularization", "Dropout",
]
