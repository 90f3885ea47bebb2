"""Model.summary(): Keras 3's table of layers, output shapes, parameter counts, connections and totals."""

from types import SimpleNamespace

import numpy as np
import pytest

from lamina import layers, ops
from lamina.models import Model, Sequential
from lamina.models.summary import _format_shapes, _readable_size, _wrap

WIDE = 160  # wide enough that no cell wraps


def summary_text(model, **kwargs) -> str:
    calls = []
    model.summary(print_fn=calls.append, **kwargs)
    assert len(calls) == 1, "print_fn receives the whole summary in one call, as in Keras 3"
    return calls[0]


def table_rows(text) -> list:
    """The cells of each table body line."""
    return [[cell.strip() for cell in line[1:-1].split("│")] for line in text.splitlines() if line.startswith("│")]


def header_cells(text) -> list:
    line = next(line for line in text.splitlines() if line.startswith("┃"))
    return [cell.strip() for cell in line[1:-1].split("┃")]


def totals(text) -> dict:
    found = {}
    for line in text.splitlines():
        if " params: " in line:
            label, value = line.strip().split(" params: ")
            found[label] = value
    return found


def mlp(name="mlp"):
    return Sequential([layers.Input(shape=(16,)), layers.Dense(8, name="hidden"), layers.Dense(2, name="head")],
                      name=name)


def test_sequential_rows_params_and_totals(engine):
    text = summary_text(mlp(), line_length=WIDE)
    assert text.startswith('Model: "mlp"\n') and text.endswith("\n")
    assert header_cells(text) == ["Layer (type)", "Output Shape", "Param #"]
    # Sequential hides its input layer; Dense(16->8) has 16*8+8 weights, Dense(8->2) 8*2+2.
    assert table_rows(text) == [["hidden (Dense)", "(None, 8)", "136"], ["head (Dense)", "(None, 2)", "18"]]
    # 154 float32 weights = 616 bytes.
    assert totals(text) == {"Total": "154 (616.00 B)", "Trainable": "154 (616.00 B)",
                            "Non-trainable": "0 (0.00 B)"}


def test_default_print_goes_to_stdout(engine, capsys):
    model = mlp()
    model.summary(line_length=WIDE)
    assert capsys.readouterr().out == summary_text(model, line_length=WIDE)


def test_thousands_separator_and_sizes(engine):
    inputs = layers.Input(shape=(300,), name="wide_in")
    model = Model(inputs, layers.Dense(100, name="wide")(inputs))
    text = summary_text(model, line_length=WIDE)
    assert table_rows(text)[1] == ["wide (Dense)", "(None, 100)", "30,100"]
    assert totals(text)["Total"] == "30,100 (117.58 KB)"  # 30100 * 4 / 1024 = 117.578...
    assert _readable_size(1234 * 4) == "4.82 KB"
    assert _readable_size(3 * 1024**2) == "3.00 MB"
    assert _readable_size(512) == "512.00 B"


def test_frozen_layer_moves_params_to_non_trainable(engine):
    model = mlp()
    model.get_layer("hidden").trainable = False
    text = summary_text(model, line_length=WIDE, show_trainable=True)
    assert header_cells(text)[-1] == "Trainable"
    assert [row[-1] for row in table_rows(text)] == ["N", "Y"]
    assert totals(text) == {"Total": "154 (616.00 B)", "Trainable": "18 (72.00 B)",
                            "Non-trainable": "136 (544.00 B)"}


def test_functional_chain_lists_input_layer_without_connections(engine):
    inputs = layers.Input(shape=(16,), name="features")
    outputs = layers.Dense(2, name="logits")(layers.Dense(8, name="body")(inputs))
    text = summary_text(Model(inputs, outputs), line_length=WIDE)
    assert "Connected to" not in header_cells(text)
    assert table_rows(text) == [["features (InputLayer)", "(None, 16)", "0"], ["body (Dense)", "(None, 8)", "136"],
                                ["logits (Dense)", "(None, 2)", "18"]]


def test_two_inputs_show_connected_to(engine):
    a = layers.Input(shape=(4,), name="a")
    b = layers.Input(shape=(3,), name="b")
    merged = ops.concatenate([a, b], axis=-1)
    model = Model([a, b], layers.Dense(5, name="out")(merged))
    text = summary_text(model, line_length=WIDE)
    assert header_cells(text) == ["Layer (type)", "Output Shape", "Param #", "Connected to"]
    assert table_rows(text) == [
        ["a (InputLayer)", "(None, 4)", "0", "-"],
        ["b (InputLayer)", "(None, 3)", "0", "-"],
        ["concatenate (Concatenate)", "(None, 7)", "0", "a[0][0], b[0][0]"],
        ["out (Dense)", "(None, 5)", "40", "concatenate[0][0]"],  # 7*5 + 5
    ]


def test_shared_layer_lists_every_node(engine):
    x = layers.Input(shape=(4,), name="x")
    y = layers.Input(shape=(4,), name="y")
    shared = layers.Dense(3, name="shared")
    model = Model([x, y], ops.add(shared(x), shared(y)))
    rows = {row[0]: row for row in table_rows(summary_text(model, line_length=WIDE))}
    assert rows["shared (Dense)"][2:] == ["15", "x[0][0], y[0][0]"]  # counted once: 4*3 + 3
    assert rows["add (Add)"][3] == "shared[0][0], shared[1][0]"


def test_branching_single_input_shows_connected_to(engine):
    inputs = layers.Input(shape=(4,), name="trunk")
    left, right = layers.Dense(2, name="left")(inputs), layers.Dense(3, name="right")(inputs)
    text = summary_text(Model(inputs, [left, right]), line_length=WIDE)
    assert header_cells(text)[-1] == "Connected to"
    assert [row[3] for row in table_rows(text)] == ["-", "trunk[0][0]", "trunk[0][0]"]


def nested_model():
    inner_in = layers.Input(shape=(4,), name="inner_in")
    inner = Model(inner_in, [layers.Dense(3, name="inner_a")(inner_in), layers.Dense(2, name="inner_b")(inner_in)],
                  name="inner")
    outer_in = layers.Input(shape=(6,), name="outer_in")
    outputs = inner(layers.Dense(4, name="pre")(outer_in))
    return Model(outer_in, outputs, name="outer")


def test_nested_model_row(engine):
    text = summary_text(nested_model(), line_length=WIDE)
    rows = table_rows(text)
    assert [row[0] for row in rows] == ["outer_in (InputLayer)", "pre (Dense)", "inner (Functional)"]
    # inner: 4*3+3 + 4*2+2 = 25 weights; two outputs shown as a list.
    assert rows[2][1:] == ["[(None, 3), (None, 2)]", "25"]
    assert totals(text)["Total"] == "53 (212.00 B)"  # pre: 6*4 + 4 = 28


def test_expand_nested_indents_inner_layers(engine):
    rows = table_rows(summary_text(nested_model(), line_length=WIDE, expand_nested=True))
    assert [row[0] for row in rows[2:]] == ["inner (Functional)", "└ inner_in (InputLayer)",
                                            "└ inner_a (Dense)", "└ inner_b (Dense)"]
    assert rows[4][1:3] == ["(None, 3)", "15"]
    line = next(line for line in summary_text(nested_model(), line_length=WIDE, expand_nested=True).splitlines()
                if "inner_a" in line)
    assert line.startswith("│    └ inner_a")  # three spaces of indent per level, after the padding


def test_unbuilt_sequential(engine):
    model = Sequential([layers.Dense(8, name="lazy_a"), layers.Dense(2, name="lazy_b")], name="lazy")
    text = summary_text(model, line_length=WIDE)
    assert table_rows(text) == [["lazy_a (Dense)", "?", "0 (unbuilt)"], ["lazy_b (Dense)", "?", "0 (unbuilt)"]]
    assert totals(text) == {"Total": "0 (0.00 B)", "Trainable": "0 (0.00 B)", "Non-trainable": "0 (0.00 B)"}
    model.build((None, 16))
    assert table_rows(summary_text(model, line_length=WIDE))[0] == ["lazy_a (Dense)", "(None, 8)", "136"]


def test_layer_range(engine):
    inputs = layers.Input(shape=(4,), name="r_in")
    x = inputs
    for name in ("r1", "r2", "r3"):
        x = layers.Dense(4, name=name)(x)
    model = Model(inputs, x)
    rows = table_rows(summary_text(model, line_length=WIDE, layer_range=["r1", "r2"]))
    assert [row[0] for row in rows] == ["r1 (Dense)", "r2 (Dense)"]
    with pytest.raises(ValueError, match="length 2"):
        model.summary(layer_range=["r1"])
    with pytest.raises(ValueError, match="do not match"):
        model.summary(layer_range=["nope", "r2"])


def test_table_geometry_matches_keras(engine):
    # Keras 3 at line_length 76 (an 80-column terminal): cells of 33, 24 and 15 characters.
    text = summary_text(mlp(), line_length=76)
    lines = text.splitlines()
    assert lines[1] == "┏" + "━" * 33 + "┳" + "━" * 24 + "┳" + "━" * 15 + "┓"
    assert lines[3] == "┡" + "━" * 33 + "╇" + "━" * 24 + "╇" + "━" * 15 + "┩"
    assert lines[5] == "├" + "─" * 33 + "┼" + "─" * 24 + "┼" + "─" * 15 + "┤"
    assert lines[7] == "└" + "─" * 33 + "┴" + "─" * 24 + "┴" + "─" * 15 + "┘"
    cells = ["hidden (Dense)".ljust(31), "(None, 8)".ljust(22), "136".rjust(13)]
    assert lines[4] == "│ " + " │ ".join(cells) + " │"
    # The graph layout at 76: 21, 19, 12, 19.
    a, b = layers.Input(shape=(2,), name="g_a"), layers.Input(shape=(2,), name="g_b")
    graph_text = summary_text(Model([a, b], ops.add(a, b)), line_length=76)
    assert graph_text.splitlines()[1] == "┏" + "━" * 21 + "┳" + "━" * 19 + "┳" + "━" * 12 + "┳" + "━" * 19 + "┓"
    assert {len(line) for line in graph_text.splitlines()[1:-3]} == {76}


def test_positions_set_column_ends(engine):
    text = summary_text(mlp(), line_length=60, positions=[0.5, 0.75, 1.0])
    top = text.splitlines()[1]
    assert len(top) == 60
    # Contents 30, 15, 15 plus padding (32, 17, 17), less the 10 characters of padding and borders taken back
    # evenly from left to right with Python's rounding: 3, round(7 / 2) = 4, then 3.
    assert [len(part) for part in top[1:-1].split("┳")] == [29, 13, 14]
    with pytest.raises(ValueError, match="Insufficient console width"):
        mlp().summary(line_length=8)


def test_long_words_are_cut_with_ellipsis(engine):
    # As rich lays out Keras 3 tables: break at spaces, cut a word longer than the cell.
    assert _wrap("global_average_pooling1d (GlobalAveragePooling1D)", 19) == [
        "global_average_poo…", "(GlobalAveragePool…"]
    assert _wrap("(None, 128, 128, 3)", 17) == ["(None, 128, 128,", "3)"]
    assert _wrap("dense_3[0][0], dense_2[0][0]", 17) == ["dense_3[0][0],", "dense_2[0][0]"]
    inputs = layers.Input(shape=(4,), name="in_with_a_rather_long_name")
    text = summary_text(Model(inputs, layers.Dense(2, name="d")(inputs)), line_length=40)
    assert table_rows(text)[:2] == [["in_with_a_rath…", "(None, 4)", "0"], ["(InputLayer)", "", ""]]
    assert all(len(line) == 40 for line in text.splitlines()[1:-3])


def test_format_shapes_structures(engine):
    assert _format_shapes((None, 16)) == "(None, 16)"
    assert _format_shapes([(None, 16), (None, 8)]) == "[(None, 16), (None, 8)]"
    assert _format_shapes([(None, 16)]) == "(None, 16)"
    assert _format_shapes({"a": (None, 3)}) == "{a: (None, 3)}"


def test_built_optimizer_params_join_the_total(engine):
    model = mlp()
    model.optimizer = SimpleNamespace(built=True, variables=model.get_layer("head").weights)
    text = summary_text(model, line_length=WIDE)
    assert totals(text) == {"Total": "172 (688.00 B)", "Trainable": "154 (616.00 B)",
                            "Non-trainable": "0 (0.00 B)", "Optimizer": "18 (72.00 B)"}


def test_subclassed_model_shapes_from_build(engine):
    class TwoDense(Model):
        def __init__(self):
            super().__init__(name="two_dense")
            self.first = layers.Dense(4, name="sub_first")
            self.second = layers.Dense(2, name="sub_second")

        def call(self, x):
            return self.second(self.first(x))

    model = TwoDense()
    assert [row[1:] for row in table_rows(summary_text(model, line_length=WIDE))] == [["?", "0 (unbuilt)"]] * 2
    model(np.zeros((3, 5), "float32"))
    assert table_rows(summary_text(model, line_length=WIDE)) == [["sub_first (Dense)", "(3, 4)", "24"],
                                                                 ["sub_second (Dense)", "(3, 2)", "10"]]
