# The Keras 2 repository's examples/cifar10_cnn.py: input_shape from the data (x_train.shape[1:]),
# Activation layers. Its printed summary: Total params: 1,250,858.
# expect cifar10_cnn: 1250858
from __future__ import print_function
import keras
from keras.datasets import cifar10
from keras.preprocessing.image import ImageDataGenerator
from keras.models import Sequential
from keras.layers import Dense, Dropout, Activation, Flatten
from keras.layers import Conv2D, MaxPooling2D
import os

batch_size = 32
num_classes = 10
epochs = 100
data_augmentation = True
save_dir = os.path.join(os.getcwd(), 'saved_models')

(x_train, y_train), (x_test, y_test) = cifar10.load_data()
print('x_train shape:', x_train.shape)
y_train = keras.utils.to_categorical(y_train, num_classes)
y_test = keras.utils.to_categorical(y_test, num_classes)

cifar10_cnn = Sequential()
cifar10_cnn.add(Conv2D(32, (3, 3), padding='same', input_shape=x_train.shape[1:]))
cifar10_cnn.add(Activation('relu'))
cifar10_cnn.add(Conv2D(32, (3, 3)))
cifar10_cnn.add(Activation('relu'))
cifar10_cnn.add(MaxPooling2D(pool_size=(2, 2)))
cifar10_cnn.add(Dropout(0.25))

cifar10_cnn.add(Conv2D(64, (3, 3), padding='same'))
cifar10_cnn.add(Activation('relu'))
cifar10_cnn.add(Conv2D(64, (3, 3)))
cifar10_cnn.add(Activation('relu'))
cifar10_cnn.add(MaxPooling2D(pool_size=(2, 2)))
cifar10_cnn.add(Dropout(0.25))

cifar10_cnn.add(Flatten())
cifar10_cnn.add(Dense(512))
cifar10_cnn.add(Activation('relu'))
cifar10_cnn.add(Dropout(0.5))
cifar10_cnn.add(Dense(num_classes))
cifar10_cnn.add(Activation('softmax'))

opt = keras.optimizers.RMSprop(learning_rate=0.0001, decay=1e-6)
cifar10_cnn.compile(loss='categorical_crossentropy', optimizer=opt, metrics=['accuracy'])
x_train = x_train.astype('float32')
x_train /= 255

if not data_augmentation:
    cifar10_cnn.fit(x_train, y_train, batch_size=batch_size, epochs=epochs, validation_data=(x_test, y_test), shuffle=True)
else:
    datagen = ImageDataGenerator(rotation_range=0, width_shift_range=0.1, height_shift_range=0.1, horizontal_flip=True)
    datagen.fit(x_train)
    cifar10_cnn.fit(datagen.flow(x_train, y_train, batch_size=batch_size), epochs=epochs, validation_data=(x_test, y_test), workers=4)
