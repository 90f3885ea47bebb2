"""Keras 1/2's ``keras.utils.generic_utils``: the progress bar and custom-object helpers, lamina's own."""

from lamina.utils import CustomObjectScope, Progbar, custom_object_scope, get_custom_objects

__all__ = ["Progbar", "CustomObjectScope", "custom_object_scope", "get_custom_objects"]
