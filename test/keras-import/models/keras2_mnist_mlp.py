# The Keras 2 repository's examples/mnist_mlp.py. Its printed summary: Total params: 669,706.
# expect mnist_mlp: 669706
import keras
from keras.datasets import mnist
from keras.models import Sequential
from keras.layers import Dense, Dropout
from keras.optimizers import RMSprop

batch_size = 128
num_classes = 10
epochs = 20

(x_train, y_train), (x_test, y_test) = mnist.load_data()
x_train = x_train.reshape(60000, 784)
x_test = x_test.reshape(10000, 784)
x_train = x_train.astype('float32')
x_train /= 255
y_train = keras.utils.to_categorical(y_train, num_classes)
y_test = keras.utils.to_categorical(y_test, num_classes)

mnist_mlp = Sequential()
mnist_mlp.add(Dense(512, activation='relu', input_shape=(784,)))
mnist_mlp.add(Dropout(0.2))
mnist_mlp.add(Dense(512, activation='relu'))
mnist_mlp.add(Dropout(0.2))
mnist_mlp.add(Dense(num_classes, activation='softmax'))
mnist_mlp.summary()
mnist_mlp.compile(loss='categorical_crossentropy', optimizer=RMSprop(), metrics=['accuracy'])
history = mnist_mlp.fit(x_train, y_train, batch_size=batch_size, epochs=epochs, verbose=1, validation_data=(x_test, y_test))
