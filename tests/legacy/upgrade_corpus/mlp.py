"""Trains a small MLP on random data, as the Keras 1 README did."""

import numpy as np

np.random.seed(1337)  # for reproducibility

from keras.layers.core import Activation, Dense, Dropout  # noqa: E402
from keras.models import Sequential  # noqa: E402
from keras.optimizers import SGD  # noqa: E402
from keras.regularizers import l2  # noqa: E402

X_train = np.random.random((64, 20)).astype("float32")
y_train = (X_train.sum(axis=1, keepdims=True) > 10).astype("float32")

model = Sequential()
model.add(Dense(16, input_dim=20, init='uniform', W_regularizer=l2(0.01)))
model.add(Activation('tanh'))
model.add(Dropout(p=0.5))
model.add(Dense(output_dim=1,
                init='uniform'))  # one output unit
model.add(Activation('sigmoid'))

sgd = SGD(lr=0.1, decay=1e-6, momentum=0.9, nesterov=True)
model.compile(loss='binary_crossentropy', optimizer=sgd)
model.fit(X_train, y_train, nb_epoch=2, batch_size=16, show_accuracy=True, verbose=0)
score = model.evaluate(X_train, y_train, batch_size=16, show_accuracy=True, verbose=0)
RESULT = np.array(score)
