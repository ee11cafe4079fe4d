# The Keras 2 repository's examples/imdb_lstm.py (Embedding without an input length: the model
# is built by fit on padded sequences). Total params: 2,691,713
# (Embedding 20000·128 + LSTM 4·(128+128+1)·128 + Dense 129).
# expect imdb_lstm: 2691713
from keras.preprocessing import sequence
from keras.models import Sequential
from keras.layers import Dense, Embedding
from keras.layers import LSTM
from keras.datasets import imdb

max_features = 20000
maxlen = 80
batch_size = 32

(x_train, y_train), (x_test, y_test) = imdb.load_data(num_words=max_features)
x_train = sequence.pad_sequences(x_train, maxlen=maxlen)
x_test = sequence.pad_sequences(x_test, maxlen=maxlen)

imdb_lstm = Sequential()
imdb_lstm.add(Embedding(max_features, 128))
imdb_lstm.add(LSTM(128, dropout=0.2, recurrent_dropout=0.2))
imdb_lstm.add(Dense(1, activation='sigmoid'))
imdb_lstm.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
imdb_lstm.fit(x_train, y_train, batch_size=batch_size, epochs=15, validation_data=(x_test, y_test))
