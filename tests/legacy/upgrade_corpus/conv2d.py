"""A small Convolution2D classifier in Keras 1's spelling (mnist_cnn, shrunk to 8x8 random images)."""
import numpy as np

np.random.seed(1337)

from keras.layers import Activation, Convolution2D, Dense, Flatten, MaxPooling2D  # noqa: E402
from keras.models import Sequential  # noqa: E402
from keras.utils import np_utils  # noqa: E402

X = np.random.random((16, 8, 8, 1)).astype("float32")
Y = np_utils.to_categorical(np.random.randint(0, 3, size=16), 3)

model = Sequential()
model.add(Convolution2D(4, 3, 3, border_mode='same', subsample=(1, 1), dim_ordering='tf',
                        input_shape=(8, 8, 1)))
model.add(Activation('relu'))
model.add(MaxPooling2D(pool_size=(2, 2), dim_ordering='tf'))
model.add(Flatten())
model.add(Dense(3))
model.add(Activation('softmax'))
model.compile(loss='categorical_crossentropy', optimizer='sgd')
model.fit(X, Y, batch_size=8, nb_epoch=1, verbose=0)
RESULT = model.predict(X)
