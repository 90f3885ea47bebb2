"""Character-level CNN -> LSTM: convolutions find character n-grams, an LSTM reads their sequence.

The classic hybrid for short texts. ``CharacterVectorization`` at the front of the model (lower-case,
allowed characters, whitespace collapsing, start/end markers, pre-padding to 160) takes raw strings; then
Embedding -> Conv1D -> MaxPooling1D -> LSTM -> Dense(sigmoid), trained with early stopping on the
validation loss. Data: the SMS Spam Collection (5,574 messages, 13% spam).

Run: python examples/char_cnn_lstm.py [--smoke]
"""

import text_data

import lamina as keras
from lamina import layers

SMOKE = text_data.smoke_mode()

(x_train, y_train), (x_test, y_test), vectorizer = text_data.sms_spam_characters(start_token="<s>",
                                                                                   end_token="</s>")
print("Encoded 'Call NOW!!':", vectorizer(["Call NOW!!"]).tolist()[0][-12:],
      f"(last 12 of {text_data.SMS_LENGTH} indices)")

model = keras.Sequential([
    keras.Input(shape=(1,), dtype="string"),
    vectorizer,
    layers.Embedding(vectorizer.vocabulary_size(), 32),
    layers.Conv1D(64, 5, activation="relu"),
    layers.MaxPooling1D(3),
    layers.LSTM(64),
    layers.Dense(1, activation="sigmoid"),
], name="char_cnn_lstm")
model.summary()

model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.002), loss="binary_crossentropy",
              metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=64, epochs=2 if SMOKE else 15, validation_split=0.1,
          callbacks=[keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)],
          verbose=2)
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"Test accuracy: {accuracy:.4f} (always 'ham' would score {1 - y_test.mean():.4f})")
