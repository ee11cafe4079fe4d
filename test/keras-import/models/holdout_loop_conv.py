# Held out: written by the lead from the published code, after the importer was built and without its author seeing it.
# Source: a conv stack built in a loop (computed by hand).
# expect holdout_loop_conv: 95434
from tensorflow import keras
from tensorflow.keras.layers import Input, Conv2D, BatchNormalization, MaxPooling2D, GlobalAveragePooling2D, Dense
from tensorflow.keras.models import Model

inputs = Input(shape=(32, 32, 3))
x = inputs
for filters in [32, 64, 128]:
    x = Conv2D(filters, 3, padding="same", activation="relu")(x)
    x = BatchNormalization()(x)
    x = MaxPooling2D()(x)
x = GlobalAveragePooling2D()(x)
outputs = Dense(10, activation="softmax")(x)
model = Model(inputs, outputs)
