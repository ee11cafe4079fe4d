# Held out: written by the lead from the published code, after the importer was built and without its author seeing it.
# Source: Deep Learning with Python, 2nd ed., ch. 4 (computed: 160,016 + 272 + 17).
# expect holdout_dlwp_imdb_dense: 160305
from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([
    layers.Dense(16, activation="relu"),
    layers.Dense(16, activation="relu"),
    layers.Dense(1, activation="sigmoid")
])
model.build(input_shape=(None, 10000))
model.compile(optimizer="rmsprop",
              loss="binary_crossentropy",
              metrics=["accuracy"])
