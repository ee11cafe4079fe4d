# Deep Learning with Python, first edition, listing 3.3: IMDB with two 16-unit layers on
# 10,000-dimensional multi-hot vectors. Total params: 160,305 (10000·16 + 16 + 16·16 + 16 + 16 + 1).
# expect dlwp_imdb: 160305
from keras import models
from keras import layers

dlwp_imdb = models.Sequential()
dlwp_imdb.add(layers.Dense(16, activation='relu', input_shape=(10000,)))
dlwp_imdb.add(layers.Dense(16, activation='relu'))
dlwp_imdb.add(layers.Dense(1, activation='sigmoid'))
dlwp_imdb.compile(optimizer='rmsprop', loss='binary_crossentropy', metrics=['accuracy'])
