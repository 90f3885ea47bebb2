"""Character-level bidirectional LSTM: is an SMS spam? Raw messages in, a probability out.

``CharacterVectorization`` at the front of the model turns each message into 160 character indices (lower-
cased, characters outside an allowed set replaced by spaces, whitespace collapsed, pre-padded so the real
text sits at the end of the sequence, next to the LSTM's final state). Then Embedding ->
Bidirectional(LSTM) -> Dense(sigmoid), trained with early stopping on the validation loss.
Data: the SMS Spam Collection (5,574 messages, 13% spam).

Run: python examples/char_lstm.py [--smoke]
"""

import text_data

import lamina as keras
from lamina import layers

SMOKE = text_data.smoke_mode()

(x_train, y_train), (x_test, y_test), vectorizer = text_data.sms_spam_characters()

model = keras.Sequential([
    keras.Input(shape=(1,), dtype="string"),
    vectorizer,
    layers.Embedding(vectorizer.vocabulary_size(), 32),
    layers.Bidirectional(layers.LSTM(32)),
    layers.Dropout(0.3),
    layers.Dense(1, activation="sigmoid"),
], name="char_bilstm")
model.summary()

model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.003), loss="binary_crossentropy",
              metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=64, epochs=2 if SMOKE else 15, validation_split=0.1,
          callbacks=[keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)],
          verbose=2)
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"Test accuracy: {accuracy:.4f} (always 'ham' would score {1 - y_test.mean():.4f})")
