# The Keras 2 repository's examples/imdb_cnn.py (Embedding with input_length, Conv1D,
# GlobalMaxPooling1D). Total params: 350,751
# (Embedding 5000·50 + Conv1D (3·50+1)·250 + Dense (250+1)·250 + Dense 251).
# expect imdb_cnn: 350751
from keras.preprocessing import sequence
from keras.models import Sequential
from keras.layers import Dense, Dropout, Activation
from keras.layers import Embedding
from keras.layers import Conv1D, GlobalMaxPooling1D
from keras.datasets import imdb

max_features = 5000
maxlen = 400
batch_size = 32
embedding_dims = 50
filters = 250
kernel_size = 3
hidden_dims = 250
epochs = 2

imdb_cnn = Sequential()
imdb_cnn.add(Embedding(max_features, embedding_dims, input_length=maxlen))
imdb_cnn.add(Dropout(0.2))
imdb_cnn.add(Conv1D(filters, kernel_size, padding='valid', activation='relu', strides=1))
imdb_cnn.add(GlobalMaxPooling1D())
imdb_cnn.add(Dense(hidden_dims))
imdb_cnn.add(Dropout(0.2))
imdb_cnn.add(Activation('relu'))
imdb_cnn.add(Dense(1))
imdb_cnn.add(Activation('sigmoid'))
imdb_cnn.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
