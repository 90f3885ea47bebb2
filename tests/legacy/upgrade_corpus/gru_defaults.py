"""A GRU left at Keras 1's defaults (hard_sigmoid gates, no reset_after), as most tutorials wrote it."""
import numpy as np

np.random.seed(1337)

from keras.layers.core import Dense  # noqa: E402
from keras.layers.recurrent import GRU  # noqa: E402
from keras.models import Sequential  # noqa: E402

X = np.random.random((8, 5, 3)).astype("float32")
model = Sequential()
model.add(GRU(4, input_shape=(5, 3)))
model.add(Dense(2))
RESULT = model.predict(X)
