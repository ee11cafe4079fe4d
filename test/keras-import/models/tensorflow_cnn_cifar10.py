# TensorFlow tutorial "Convolutional Neural Network (CNN)" on CIFAR-10 (models.Sequential().add,
# from tensorflow.keras import datasets, layers, models). Its printed summary: Total params: 122,570.
# expect cifar_cnn: 122570
import tensorflow as tf
from tensorflow.keras import datasets, layers, models

(train_images, train_labels), (test_images, test_labels) = datasets.cifar10.load_data()
train_images, test_images = train_images / 255.0, test_images / 255.0

cifar_cnn = models.Sequential()
cifar_cnn.add(layers.Conv2D(32, (3, 3), activation='relu', input_shape=(32, 32, 3)))
cifar_cnn.add(layers.MaxPooling2D((2, 2)))
cifar_cnn.add(layers.Conv2D(64, (3, 3), activation='relu'))
cifar_cnn.add(layers.MaxPooling2D((2, 2)))
cifar_cnn.add(layers.Conv2D(64, (3, 3), activation='relu'))
cifar_cnn.add(layers.Flatten())
cifar_cnn.add(layers.Dense(64, activation='relu'))
cifar_cnn.add(layers.Dense(10))
cifar_cnn.compile(optimizer='adam',
              loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=['accuracy'])
history = cifar_cnn.fit(train_images, train_labels, epochs=10,
                    validation_data=(test_images, test_labels))
