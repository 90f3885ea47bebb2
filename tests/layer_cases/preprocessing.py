import numpy as np

from layer_cases import floats

LAST = "channels_last"


def _mirrored(*shape):
    """Images equal to their left-right mirror: a random flip leaves them as they are."""
    x = floats(*shape)
    return x + x[:, :, ::-1]


def _flat_channels(*shape):
    """Images constant over each channel (small integers, exact means): random contrast keeps them."""
    return np.broadcast_to(np.arange(shape[-1], dtype="float32") - 1.0, shape).copy()


# Random layers are called in training (their default, as in Keras) and each clone draws its own seeds, so
# these cases use fixed factors, or inputs the random change leaves alone, to compare numbers.
CASES = {
    "Normalization": (dict(axis=-1), lambda: floats(2, 4)),
    "Discretization": (dict(bin_boundaries=[-0.5, 0.0, 0.5], output_mode="count"), lambda: floats(2, 4)),
    "Rescaling": (dict(scale=0.5, offset=0.1), lambda: floats(2, 4)),
    "Resizing": (dict(height=3, width=5, data_format=LAST), lambda: floats(2, 4, 4, 3)),
    "CenterCrop": (dict(height=2, width=3, data_format=LAST), lambda: floats(2, 4, 4, 3)),
    "RandomFlip": (dict(mode="horizontal", seed=1, data_format=LAST), lambda: _mirrored(2, 4, 4, 3)),
    "RandomRotation": (dict(factor=(0.25, 0.25), fill_mode="constant", interpolation="nearest", seed=1,
                            data_format=LAST), lambda: floats(2, 5, 5, 3)),
    "RandomZoom": (dict(height_factor=(0.2, 0.2), width_factor=(-0.1, -0.1), fill_mode="nearest", seed=1,
                        data_format=LAST), lambda: floats(2, 4, 4, 3)),
    "RandomTranslation": (dict(height_factor=(0.25, 0.25), width_factor=(-0.25, -0.25), fill_mode="wrap", seed=1,
                               data_format=LAST), lambda: floats(2, 4, 4, 3)),
    "RandomContrast": (dict(factor=0.3, value_range=(-10, 10), seed=1, data_format=LAST),
                       lambda: _flat_channels(2, 4, 4, 3)),
    "RandomBrightness": (dict(factor=(0.1, 0.1), value_range=(-5, 5), seed=1, data_format=LAST),
                         lambda: floats(2, 4, 4, 3)),
    "RandomCrop": (dict(height=4, width=4, seed=1, data_format=LAST), lambda: floats(2, 3, 5, 3)),
}


def _texts():
    return np.array([["the cat sat"], ["a dog, the end!"]], dtype=object)


# String layers (host-side work) take strings, or integers for IntegerLookup; vocabularies are given in the
# constructor, so the config carries them.
CASES.update({
    "TextVectorization": (dict(vocabulary=["the", "cat", "dog"], output_sequence_length=5), _texts),
    "CharacterVectorization": (dict(vocabulary=list("abcdet "), output_sequence_length=8, start_token="<",
                                    end_token=">", allowed_characters="abcdeghnorst "), _texts),
    "StringLookup": (dict(vocabulary=["a", "b", "c"], output_mode="multi_hot"),
                     lambda: np.array([["a", "c"], ["d", "a"]])),
    "IntegerLookup": (dict(vocabulary=[12, 36, 1138], num_oov_indices=2, mask_token=0),
                      lambda: np.array([[12, 0, 7], [36, 1138, 8]])),
    "Hashing": (dict(num_bins=5, mask_value="", salt=7), lambda: np.array([["a"], [""], ["b"]])),
    "CategoryEncoding": (dict(num_tokens=4, output_mode="count"), lambda: np.array([[0, 1, 1], [3, 2, 3]])),
})
