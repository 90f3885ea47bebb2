"""Character-level CNN: is an SMS spam? Raw messages in, a probability out.

The model reads characters, not words: ``CharacterVectorization`` (the classic char pipeline in one layer:
lower-case, characters outside an allowed set become spaces, whitespace runs collapse, pre-padding and
truncating to 160 characters) sits at the front of the model, so ``fit`` and ``predict`` take raw strings.
Then Embedding -> two Conv1D/MaxPooling1D blocks -> GlobalMaxPooling1D -> Dense(sigmoid), trained with early
stopping on the validation loss. Data: the SMS Spam Collection (5,574 messages, 13% spam).

Run: python examples/char_cnn.py [--smoke]
"""

import text_data

import lamina as keras
from lamina import layers

SMOKE = text_data.smoke_mode()

(x_train, y_train), (x_test, y_test), vectorizer = text_data.sms_spam_characters()
print(f"{vectorizer.vocabulary_size()} character indices (0 = padding, 1 = unknown)")

inputs = keras.Input(shape=(1,), dtype="string")
x = vectorizer(inputs)
x = layers.Embedding(vectorizer.vocabulary_size(), 32)(x)
x = layers.Conv1D(64, 5, activation="relu")(x)
x = layers.MaxPooling1D(3)(x)
x = layers.Conv1D(64, 5, activation="relu")(x)
x = layers.GlobalMaxPooling1D()(x)
x = layers.Dropout(0.3)(x)
outputs = layers.Dense(1, activation="sigmoid")(x)
model = keras.Model(inputs, outputs, name="char_cnn")
model.summary()

model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, batch_size=64, epochs=2 if SMOKE else 20, validation_split=0.1,
          callbacks=[keras.callbacks.EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)],
          verbose=2)
loss, accuracy = model.evaluate(x_test, y_test, verbose=0)
print(f"Test accuracy: {accuracy:.4f} (always 'ham' would score {1 - y_test.mean():.4f})")
new_messages = ["WINNER!! Claim your free prize now, call 09061701461", "Ok, see you at 7 for dinner?"]
for text, p in zip(new_messages, model.predict(new_messages, verbose=0)[:, 0]):
    print(f"  P(spam) = {p:.3f}  {text}")
