"""Keras 0.3/1 APIs with no mechanical rewrite: the codemod lists every line marked `hand work`."""
import numpy as np
from keras import backend as K
from keras.layers.core import Dense, Layer, TimeDistributedMerge
from keras.models import Graph, Sequential


class Square(Layer):
    def get_output_shape_for(self, input_shape):  # hand work
        return input_shape

    def call(self, x, mask=None):
        return x * x


model = Sequential()
model.add(Dense(3, input_dim=3))
model.add(Square())
f = K.function([model.layers[0].input, K.learning_phase()], [model.layers[-1].output])  # hand work
hidden = model.layers[0].get_output(train=False)  # hand work
graph = Graph()  # hand work
summed = TimeDistributedMerge(mode='sum')  # hand work
options = {"init": "uniform"}
dense = Dense(3, **options)  # hand work
RESULT = f([np.ones((1, 3), "float32"), 0])[0]
