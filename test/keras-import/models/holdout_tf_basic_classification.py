# Held out: written by the lead from the published code, after the importer was built and without its author seeing it.
# Source: TensorFlow tutorial "Basic classification" (printed: 101,770).
# expect holdout_tf_basic_classification: 101770
import tensorflow as tf
import numpy as np

model = tf.keras.Sequential([
    tf.keras.layers.Flatten(input_shape=(28, 28)),
    tf.keras.layers.Dense(128, activation='relu'),
    tf.keras.layers.Dense(10)
])
model.compile(optimizer='adam',
              loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
              metrics=['accuracy'])
model.fit(train_images, train_labels, epochs=10)
