"""Models: the functional graph, Sequential, and the Model base."""

from lamina.models.functional import Functional
from lamina.models.model import Model
from lamina.models.sequential import Sequential
