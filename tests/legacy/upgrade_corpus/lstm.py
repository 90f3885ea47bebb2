"""An LSTM sentiment model with Keras 1's recurrent arguments (imdb_lstm, shrunk)."""
import numpy as np

np.random.seed(1337)

from keras.layers import LSTM, Dense, Embedding  # noqa: E402
from keras.models import Sequential  # noqa: E402

X = np.random.randint(1, 20, size=(16, 6))
y = np.random.randint(0, 2, size=(16, 1)).astype("float32")

model = Sequential()
model.add(Embedding(20, 8, input_length=6))
model.add(LSTM(output_dim=8, inner_activation='sigmoid', dropout_W=0.2, dropout_U=0.2, consume_less='cpu'))
model.add(Dense(1, activation='sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='rmsprop')
model.fit(X, y, batch_size=8, nb_epoch=1, verbose=0)
RESULT = model.predict(X)
