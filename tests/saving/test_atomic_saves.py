"""Atomic saves under SIGKILL: a process saving a model in a loop is killed at random moments; every time the
target is absent, or an old or new file that loads whole, and the next save removes what the killed one left.

One child process imports lamina once (a few seconds) and forks a saver per round, so twenty kills take a
few seconds, not twenty imports.
"""

import os
import random
import signal
import subprocess
import sys
import textwrap
import time

import numpy as np
import pytest

from lamina import layers
from lamina.models import Sequential, load_model
from lamina.saving import save_model, weights_h5
from lamina.utils import atomic

ROUNDS = 20

# Forks a saver per line read; each saver saves the model with every weight set to 1, 2, 3, ... until
# killed. The forker prints the saver's pid, reaps it once killed, then prints "reaped".
FORKER = textwrap.dedent("""
    import os, sys, warnings
    import numpy as np
    from lamina import layers
    from lamina.models import Sequential

    warnings.filterwarnings("ignore", message="os.fork")  # JAX's: the forked saver only saves until killed
    target = sys.argv[1]
    model = Sequential([layers.Input(shape=(8,)), layers.Dense(16), layers.Dense(4)])
    model.save(target + ".warmup.keras")
    os.remove(target + ".warmup.keras")
    for _ in sys.stdin:
        pid = os.fork()
        if pid == 0:
            value = 0
            while True:
                value += 1
                model.set_weights([np.full(w.shape, value, w.dtype) for w in model.get_weights()])
                model.save(target)
        print(pid, flush=True)
        os.waitpid(pid, 0)
        print("reaped", flush=True)
""")


def leftovers(folder):
    return sorted(name for name in os.listdir(folder) if name != "model.keras")


def check_whole(path):
    """The model at ``path`` loads and every weight holds the same integer: one save's, not a mix."""
    values = {float(v) for w in load_model(path).get_weights() for v in np.unique(w)}
    assert len(values) == 1 and values.pop().is_integer(), f"a torn file: weights hold {values}"


def test_saves_killed_at_random_moments_leave_old_or_new_and_nothing_behind(engine, tmp_path):
    target = str(tmp_path / "model.keras")
    forker = subprocess.Popen([sys.executable, "-c", FORKER, target], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True, env=dict(os.environ))
    rng = random.Random(0)
    outcomes = {"absent": 0, "whole": 0, "leftovers": 0}
    try:
        for _ in range(ROUNDS):
            forker.stdin.write("save\n")
            forker.stdin.flush()
            saver = int(forker.stdout.readline())
            time.sleep(rng.uniform(0.0, 0.25))
            os.kill(saver, signal.SIGKILL)
            assert forker.stdout.readline().strip() == "reaped"
            if os.path.exists(target):
                check_whole(target)
                outcomes["whole"] += 1
            else:
                outcomes["absent"] += 1
            outcomes["leftovers"] += bool(leftovers(tmp_path))
            assert len(leftovers(tmp_path)) <= 1, "temporaries pile up"
            model = Sequential([layers.Input(shape=(8,)), layers.Dense(16), layers.Dense(4)])
            model.set_weights([np.zeros_like(w) for w in model.get_weights()])
            save_model(model, target)  # the next save sweeps what the killed one left
            assert leftovers(tmp_path) == []
    finally:
        forker.kill()
        forker.wait()
    assert outcomes["whole"] >= ROUNDS // 2 and outcomes["leftovers"] > 0, outcomes


def dead_pid():
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_next_save_sweeps_only_temporaries_of_finished_saves(engine, tmp_path):
    target = tmp_path / "model.weights.h5"
    stale = tmp_path / f".lamina-tmp-{dead_pid()}-abcd1234-model.weights.h5"
    live = tmp_path / f".lamina-tmp-{os.getppid()}-abcd1234-model.weights.h5"  # a running process' save
    other = tmp_path / f".lamina-tmp-{dead_pid()}-abcd1234-other.weights.h5"  # another target's
    for path in (stale, live, other):
        path.write_text("partial")
    model = Sequential([layers.Input(shape=(2,)), layers.Dense(1)])
    model.save_weights(target)
    assert sorted(os.listdir(tmp_path)) == sorted([target.name, live.name, other.name])


def test_orphaned_old_folder_goes_back_when_the_target_is_missing(engine, tmp_path):
    # A folder save killed between moving the old folder aside and renaming the new one in.
    aside = tmp_path / f".lamina-old-{dead_pid()}-abcd1234-model"
    aside.mkdir()
    (aside / "config.json").write_text("{}")
    atomic.sweep(str(tmp_path / "model"))
    assert os.listdir(tmp_path) == ["model"] and os.listdir(tmp_path / "model") == ["config.json"]


def test_failed_save_keeps_the_previous_file_and_leaves_nothing(engine, tmp_path, monkeypatch):
    model = Sequential([layers.Input(shape=(2,)), layers.Dense(1)])
    target = tmp_path / "model.keras"
    model.save(target)
    before = target.read_bytes()

    def failing(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(weights_h5, "save_weights", failing)
    with pytest.raises(OSError, match="disk full"):
        model.save(target)
    assert os.listdir(tmp_path) == ["model.keras"] and target.read_bytes() == before
