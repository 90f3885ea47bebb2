from layer_cases import floats

CASES = {
    "Flatten": (dict(), lambda: floats(2, 3, 4)),
    "Reshape": (dict(target_shape=(2, 6)), lambda: floats(2, 3, 4)),
    "Permute": (dict(dims=(2, 1)), lambda: floats(2, 3, 4)),
    "RepeatVector": (dict(n=3), lambda: floats(2, 4)),
    "Cropping1D": (dict(cropping=(1, 2)), lambda: floats(2, 5, 3)),
    "Cropping2D": (dict(cropping=((1, 0), (0, 2)), data_format="channels_last"), lambda: floats(2, 4, 5, 3)),
    "Cropping3D": (dict(cropping=1, data_format="channels_first"), lambda: floats(2, 2, 3, 4, 5)),
    "ZeroPadding1D": (dict(padding=(2, 1)), lambda: floats(2, 3, 4)),
    "ZeroPadding2D": (dict(padding=((1, 0), (0, 2)), data_format="channels_first"), lambda: floats(2, 3, 4, 5)),
    "ZeroPadding3D": (dict(padding=(1, 0, 2), data_format="channels_last"), lambda: floats(2, 2, 3, 2, 3)),
    "UpSampling1D": (dict(size=3), lambda: floats(2, 3, 4)),
    "UpSampling2D": (dict(size=(2, 3), interpolation="bilinear", data_format="channels_last"),
                     lambda: floats(2, 3, 4, 2)),
    "UpSampling3D": (dict(size=(1, 2, 3), data_format="channels_first"), lambda: floats(2, 3, 2, 2, 2)),
}
