# Held out: written by the lead from the published code, after the importer was built and without its author seeing it.
# Source: a Dense stack built in a loop (computed by hand).
# expect holdout_loop_dense: 242762
import keras
from keras import layers

model = keras.Sequential()
model.add(layers.Input(shape=(784,)))
for units in [256, 128, 64]:
    model.add(layers.Dense(units, activation="relu"))
    model.add(layers.Dropout(0.2))
model.add(layers.Dense(10, activation="softmax"))
model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01, momentum=0.9), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x_train, y_train, epochs=20, batch_size=256, validation_split=0.1,
          callbacks=[keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True),
                     keras.callbacks.ReduceLROnPlateau(factor=0.5, patience=2)])
