"""Two inputs merged by concatenation, Keras 1's functional API."""
import numpy as np

np.random.seed(1337)

from keras.layers import Dense, Input, merge  # noqa: E402
from keras.models import Model  # noqa: E402

A = np.random.random((16, 4)).astype("float32")
B = np.random.random((16, 3)).astype("float32")
t = np.random.randint(0, 2, size=(16, 1)).astype("float32")

a = Input(shape=(4,))
b = Input(shape=(3,))
x = Dense(5, activation='relu')(a)
y = Dense(5, activation='relu')(b)
m = merge([x, y], mode='concat', concat_axis=-1)
out = Dense(1, activation='sigmoid')(m)
model = Model(input=[a, b], output=out)
model.compile(optimizer='rmsprop', loss='binary_crossentropy')
model.fit([A, B], t, nb_epoch=2, batch_size=8, verbose=0)
RESULT = model.predict([A, B])
