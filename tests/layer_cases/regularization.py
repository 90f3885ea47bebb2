from layer_cases import floats

CASES = {
    "Dropout": (dict(rate=0.3, seed=1), lambda: floats(2, 4)),
    "ActivityRegularization": (dict(l1=0.1, l2=0.2), lambda: floats(2, 4)),
    "SpatialDropout1D": (dict(rate=0.3, seed=1), lambda: floats(2, 3, 4)),
    "SpatialDropout2D": (dict(rate=0.3, seed=1, data_format="channels_first"), lambda: floats(2, 3, 4, 4)),
    "SpatialDropout3D": (dict(rate=0.3, seed=1), lambda: floats(2, 2, 2, 2, 3)),
    "GaussianNoise": (dict(stddev=0.2, seed=1), lambda: floats(2, 4)),
    "GaussianDropout": (dict(rate=0.2, seed=1), lambda: floats(2, 4)),
    "AlphaDropout": (dict(rate=0.2, noise_shape=(None, 1, 4), seed=1), lambda: floats(2, 3, 4)),
}
