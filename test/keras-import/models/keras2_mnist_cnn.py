# The Keras 2 repository's examples/mnist_cnn.py (Sequential with .add, input_shape on the first layer).
# Its printed summary: Total params: 1,199,882.
# expect mnist_cnn: 1199882
from __future__ import print_function
import keras
from keras.datasets import mnist
from keras.models import Sequential
from keras.layers import Dense, Dropout, Flatten
from keras.layers import Conv2D, MaxPooling2D
from keras import backend as K

batch_size = 128
num_classes = 10
epochs = 12
img_rows, img_cols = 28, 28

(x_train, y_train), (x_test, y_test) = mnist.load_data()

if K.image_data_format() == 'channels_first':
    x_train = x_train.reshape(x_train.shape[0], 1, img_rows, img_cols)
    input_shape = (1, img_rows, img_cols)
else:
    x_train = x_train.reshape(x_train.shape[0], img_rows, img_cols, 1)
    x_test = x_test.reshape(x_test.shape[0], img_rows, img_cols, 1)
    input_shape = (img_rows, img_cols, 1)

x_train = x_train.astype('float32')
x_train /= 255
y_train = keras.utils.to_categorical(y_train, num_classes)
y_test = keras.utils.to_categorical(y_test, num_classes)

mnist_cnn = Sequential()
mnist_cnn.add(Conv2D(32, kernel_size=(3, 3),
                 activation='relu',
                 input_shape=input_shape))
mnist_cnn.add(Conv2D(64, (3, 3), activation='relu'))
mnist_cnn.add(MaxPooling2D(pool_size=(2, 2)))
mnist_cnn.add(Dropout(0.25))
mnist_cnn.add(Flatten())
mnist_cnn.add(Dense(128, activation='relu'))
mnist_cnn.add(Dropout(0.5))
mnist_cnn.add(Dense(num_classes, activation='softmax'))

mnist_cnn.compile(loss=keras.losses.categorical_crossentropy,
              optimizer=keras.optimizers.Adadelta(),
              metrics=['accuracy'])

mnist_cnn.fit(x_train, y_train,
          batch_size=batch_size,
          epochs=epochs,
          verbose=1,
          validation_data=(x_test, y_test))
