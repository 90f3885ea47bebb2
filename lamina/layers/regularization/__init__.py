"""Regularization layers: Dropout, ActivityRegularization, ..."""
