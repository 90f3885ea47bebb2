from layer_cases import floats

CASES = {
    "Attention": ({"use_scale": True, "score_mode": "concat", "dropout": 0.1, "seed": 3},
                  lambda: [floats(2, 3, 4), floats(2, 5, 4)]),
    "AdditiveAttention": ({"use_scale": True}, lambda: [floats(2, 3, 4), floats(2, 5, 4), floats(2, 5, 4)]),
    "MultiHeadAttention": ({"num_heads": 2, "key_dim": 3, "value_dim": 2, "output_shape": 5, "dropout": 0.1, "seed": 1},
                           lambda: floats(2, 4, 6)),
}
