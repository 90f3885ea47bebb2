"""A Convolution1D text classifier on random word ids (the imdb_cnn example, shrunk)."""
import numpy as np

np.random.seed(1337)

from keras.layers import Activation, Convolution1D, Dense, Embedding, Flatten, MaxPooling1D  # noqa: E402
from keras.models import Sequential  # noqa: E402
from keras.preprocessing import sequence  # noqa: E402

max_features, maxlen = 30, 12
X = [list(np.random.randint(1, max_features, size=np.random.randint(4, 16))) for _ in range(24)]
X = sequence.pad_sequences(X, maxlen=maxlen)
y = np.random.randint(0, 2, size=(24, 1)).astype("float32")

model = Sequential()
model.add(Embedding(max_features, 8, input_length=maxlen))
model.add(Convolution1D(nb_filter=6,
                        filter_length=3,
                        border_mode='valid',
                        activation='relu',
                        subsample_length=1))
model.add(MaxPooling1D(pool_length=2))
model.add(Flatten())
model.add(Dense(1))
model.add(Activation('sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
history = model.fit(X, y, batch_size=8, nb_epoch=2, validation_data=(X, y), verbose=0)
RESULT = np.array([history.history['acc'][-1], history.history['val_acc'][-1]] + list(model.predict(X)[:, 0]))
