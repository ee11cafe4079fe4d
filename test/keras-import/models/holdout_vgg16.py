# Held out: written by the lead from the published code, after the importer was built and without its author seeing it.
# Source: keras.applications.VGG16 with include_top (printed: 138,357,544).
# expect vgg16: 138357544
from keras import layers
from keras.models import Model

include_top = True
classes = 1000
classifier_activation = "softmax"

img_input = layers.Input(shape=(224, 224, 3))
# Block 1
x = layers.Conv2D(64, (3, 3), activation="relu", padding="same", name="block1_conv1")(img_input)
x = layers.Conv2D(64, (3, 3), activation="relu", padding="same", name="block1_conv2")(x)
x = layers.MaxPooling2D((2, 2), strides=(2, 2), name="block1_pool")(x)

# Block 2
x = layers.Conv2D(128, (3, 3), activation="relu", padding="same", name="block2_conv1")(x)
x = layers.Conv2D(128, (3, 3), activation="relu", padding="same", name="block2_conv2")(x)
x = layers.MaxPooling2D((2, 2), strides=(2, 2), name="block2_pool")(x)

# Block 3
x = layers.Conv2D(256, (3, 3), activation="relu", padding="same", name="block3_conv1")(x)
x = layers.Conv2D(256, (3, 3), activation="relu", padding="same", name="block3_conv2")(x)
x = layers.Conv2D(256, (3, 3), activation="relu", padding="same", name="block3_conv3")(x)
x = layers.MaxPooling2D((2, 2), strides=(2, 2), name="block3_pool")(x)

# Block 4
x = layers.Conv2D(512, (3, 3), activation="relu", padding="same", name="block4_conv1")(x)
x = layers.Conv2D(512, (3, 3), activation="relu", padding="same", name="block4_conv2")(x)
x = layers.Conv2D(512, (3, 3), activation="relu", padding="same", name="block4_conv3")(x)
x = layers.MaxPooling2D((2, 2), strides=(2, 2), name="block4_pool")(x)

# Block 5
x = layers.Conv2D(512, (3, 3), activation="relu", padding="same", name="block5_conv1")(x)
x = layers.Conv2D(512, (3, 3), activation="relu", padding="same", name="block5_conv2")(x)
x = layers.Conv2D(512, (3, 3), activation="relu", padding="same", name="block5_conv3")(x)
x = layers.MaxPooling2D((2, 2), strides=(2, 2), name="block5_pool")(x)

if include_top:
    # Classification block
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dense(4096, activation="relu", name="fc1")(x)
    x = layers.Dense(4096, activation="relu", name="fc2")(x)
    x = layers.Dense(classes, activation=classifier_activation, name="predictions")(x)

model = Model(img_input, x, name="vgg16")
