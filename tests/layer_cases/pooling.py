from layer_cases import floats

CL = "channels_last"
CF = "channels_first"

CASES = {
    "MaxPooling1D": (dict(pool_size=3, strides=2, padding="same", data_format=CL), lambda: floats(2, 7, 3)),
    "MaxPooling2D": (dict(pool_size=(2, 3), data_format=CF), lambda: floats(2, 3, 4, 6)),
    "MaxPooling3D": (dict(pool_size=2, strides=1, data_format=CL), lambda: floats(1, 3, 3, 3, 2)),
    "AveragePooling1D": (dict(pool_size=2, data_format=CF), lambda: floats(2, 3, 6)),
    "AveragePooling2D": (dict(pool_size=3, strides=2, padding="same", data_format=CL), lambda: floats(1, 5, 4, 2)),
    "AveragePooling3D": (dict(pool_size=(1, 2, 2), data_format=CF), lambda: floats(1, 2, 2, 4, 4)),
    "GlobalMaxPooling1D": (dict(data_format=CL, keepdims=True), lambda: floats(2, 5, 3)),
    "GlobalMaxPooling2D": (dict(data_format=CF), lambda: floats(2, 3, 4, 4)),
    "GlobalMaxPooling3D": (dict(data_format=CL), lambda: floats(1, 2, 3, 2, 4)),
    "GlobalAveragePooling1D": (dict(data_format=CF), lambda: floats(2, 3, 5)),
    "GlobalAveragePooling2D": (dict(data_format=CL, keepdims=True), lambda: floats(2, 4, 4, 3)),
    "GlobalAveragePooling3D": (dict(data_format=CF), lambda: floats(1, 2, 3, 2, 2)),
    "AdaptiveAveragePooling1D": (dict(output_size=3, data_format=CL), lambda: floats(2, 7, 3)),
    "AdaptiveAveragePooling2D": (dict(output_size=(2, 3), data_format=CF), lambda: floats(2, 3, 5, 7)),
    "AdaptiveAveragePooling3D": (dict(output_size=2, data_format=CL), lambda: floats(1, 3, 5, 4, 2)),
    "AdaptiveMaxPooling1D": (dict(output_size=(4,), data_format=CF), lambda: floats(2, 3, 9)),
    "AdaptiveMaxPooling2D": (dict(output_size=3, data_format=CL), lambda: floats(2, 5, 7, 3)),
    "AdaptiveMaxPooling3D": (dict(output_size=(1, 2, 3), data_format=CF), lambda: floats(1, 2, 3, 4, 5)),
}
