# Deep Learning with Python (Chollet), chapter 2's first network: a Sequential without an input
# shape, built by fit on images reshaped to (60000, 28 * 28). Total params: 407,050
# (784·512 + 512 + 512·10 + 10).
# expect dlwp_dense: 407050
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras.datasets import mnist

(train_images, train_labels), (test_images, test_labels) = mnist.load_data()
dlwp_dense = keras.Sequential([
    layers.Dense(512, activation="relu"),
    layers.Dense(10, activation="softmax")
])
dlwp_dense.compile(optimizer="rmsprop",
              loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])
train_images = train_images.reshape((60000, 28 * 28))
train_images = train_images.astype("float32") / 255
test_images = test_images.reshape((10000, 28 * 28))
dlwp_dense.fit(train_images, train_labels, epochs=5, batch_size=128)
