# Deep Learning with Python, first edition, listing 5.1-5.2: a small convnet with models.Sequential
# and .add. Its printed summary: Total params: 93,322.
# expect dlwp_convnet: 93322
from keras import layers
from keras import models

dlwp_convnet = models.Sequential()
dlwp_convnet.add(layers.Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)))
dlwp_convnet.add(layers.MaxPooling2D((2, 2)))
dlwp_convnet.add(layers.Conv2D(64, (3, 3), activation='relu'))
dlwp_convnet.add(layers.MaxPooling2D((2, 2)))
dlwp_convnet.add(layers.Conv2D(64, (3, 3), activation='relu'))
dlwp_convnet.add(layers.Flatten())
dlwp_convnet.add(layers.Dense(64, activation='relu'))
dlwp_convnet.add(layers.Dense(10, activation='softmax'))
dlwp_convnet.summary()
dlwp_convnet.compile(optimizer='rmsprop', loss='categorical_crossentropy', metrics=['accuracy'])
