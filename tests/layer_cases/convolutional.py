from layer_cases import floats

CL = "channels_last"
CF = "channels_first"

CASES = {
    "Conv1D": (dict(filters=3, kernel_size=3, padding="causal", dilation_rate=2, activation="relu",
                    kernel_regularizer="l2", data_format=CL), lambda: floats(2, 7, 2)),
    "Conv2D": (dict(filters=4, kernel_size=(3, 2), strides=(2, 1), padding="same", groups=2, data_format=CF,
                    bias_initializer="random_normal"), lambda: floats(2, 2, 5, 4)),
    "Conv3D": (dict(filters=2, kernel_size=2, use_bias=False, kernel_constraint="max_norm", data_format=CL),
               lambda: floats(1, 3, 3, 3, 2)),
    "Conv1DTranspose": (dict(filters=2, kernel_size=3, strides=2, output_padding=1, data_format=CL),
                        lambda: floats(2, 4, 3)),
    "Conv2DTranspose": (dict(filters=3, kernel_size=3, strides=2, padding="same", data_format=CF,
                             activation="tanh"), lambda: floats(1, 2, 3, 4)),
    "Conv3DTranspose": (dict(filters=2, kernel_size=(2, 1, 2), strides=(2, 1, 1), data_format=CL),
                        lambda: floats(1, 2, 2, 2, 3)),
    "DepthwiseConv1D": (dict(kernel_size=3, depth_multiplier=2, padding="same", data_format=CF,
                             depthwise_regularizer="l1"), lambda: floats(2, 3, 6)),
    "DepthwiseConv2D": (dict(kernel_size=2, strides=2, data_format=CL, bias_initializer="ones"),
                        lambda: floats(1, 4, 4, 3)),
    "SeparableConv1D": (dict(filters=4, kernel_size=3, depth_multiplier=2, data_format=CL,
                             pointwise_constraint="non_neg"), lambda: floats(2, 6, 3)),
    "SeparableConv2D": (dict(filters=2, kernel_size=(2, 3), dilation_rate=(1, 2), padding="same", data_format=CF),
                        lambda: floats(1, 3, 5, 6)),
}
