# TensorFlow tutorial "Basic classification: Classify images of clothing" (tf.keras.Sequential,
# Flatten with input_shape, logits output). Total params: 101,770 (784·128 + 128 + 128·10 + 10).
# expect fashion_classifier: 101770
import tensorflow as tf
import numpy as np

fashion_mnist = tf.keras.datasets.fashion_mnist
(train_images, train_labels), (test_images, test_labels) = fashion_mnist.load_data()
train_images = train_images / 255.0

fashion_classifier = tf.keras.Sequential([
    tf.keras.layers.Flatten(input_shape=(28, 28)),
    tf.keras.layers.Dense(128, activation='relu'),
    tf.keras.layers.Dense(10)
])
fashion_classifier.compile(optimizer='adam',
              loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=['accuracy'])
fashion_classifier.fit(train_images, train_labels, epochs=10)
