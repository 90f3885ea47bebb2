"""Runs the benchmarks' parts in separate processes and puts their ratios in one markdown table.

A workload (a training epoch, bulk predict, ...) is measured by four parts: the hand-written torch loop, the
hand-written JAX loop, lamina on torch and lamina on JAX. Each part runs in its own interpreter, because
lamina picks its engine at import and so that each peak RSS is that part's alone.

With ``--keras-python PATH`` (an interpreter where Keras 3 is installed; lamina never imports Keras), the
same workloads also run on Keras, one part per engine of ``--keras-engines`` (TensorFlow too, where that
interpreter has it): the workloads are written against the Keras API, and
in a Keras part ``import lamina`` gives the ``keras`` module, so both libraries run the same code in the same
round (the peers the performance targets are set against). The parts run one after
another in rounds, in a rotated order; every ratio divides a part's time by the torch loop's time of the
same round, and the table shows the median ratio over the rounds with its range (the machine's noise).

A part process prints one line ``RESULT {json}``: ``rows`` (row name -> ``seconds`` and, for training,
``first_s``, the first epoch with its compiling), ``compiles`` and ``peak_rss_mb``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

PARTS = {  # part -> (column label, the engine of a lamina or Keras part; None for a hand-written loop)
    "torch": ("torch loop", None),
    "jax": ("jax loop", None),
    "lamina-torch": ("lamina/torch", "torch"),
    "lamina-jax": ("lamina/jax", "jax"),
    "keras-torch": ("Keras/torch", "torch"),
    "keras-jax": ("Keras/jax", "jax"),
    "keras-tensorflow": ("Keras/tf", "tensorflow"),
}
LAMINA_PARTS = [part for part in PARTS if part.startswith("lamina-")]
KERAS_PARTS = [part for part in PARTS if part.startswith("keras-")]
RESULT = "RESULT "
DEFAULT_EPOCHS, QUICK_EPOCHS = 3, 1  # timed epochs after the first
DEFAULT_ROUNDS, QUICK_ROUNDS = 3, 1


def compile_counts(model):
    """The compiled-step counts lamina keeps per compiled model ({"train": 2, ...}), or None where absent."""
    steps = getattr(model, "_steps", None)
    return steps.compile_counts() if hasattr(steps, "compile_counts") else None


def runs_model(part: str) -> bool:
    """Whether ``part`` trains the workload's Keras-API model (lamina or Keras), not a hand-written loop."""
    return PARTS[part][1] is not None


def select_library(part: str):
    """Select ``part``'s engine before lamina is imported (the workloads import it lazily); in a Keras part,
    make ``import lamina`` give Keras. The engine, or None for loops."""
    engine = PARTS[part][1]
    if engine and part in KERAS_PARTS:
        os.environ["KERAS_BACKEND"] = engine
        import keras

        sys.modules["lamina"] = keras
    elif engine:
        os.environ["LAMINA_BACKEND"] = engine
    return engine


def run_part(workload, part: str, quick: bool, epochs: int) -> None:
    """Measure one part in this process and print its ``RESULT`` line."""
    engine = select_library(part)
    result = workload.measure(part, quick, epochs)
    if engine:
        import lamina

        assert lamina.backend.backend() == engine, (lamina.backend.backend(), engine)
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    print(RESULT + json.dumps(result), flush=True)


def part_command(workload, part: str, args) -> list:
    python = args.keras_python if part in KERAS_PARTS else sys.executable
    return [python, workload.script, "--part", part, "--epochs", str(args.epochs)] + \
        (["--quick"] if args.quick else [])


def part_environment(args) -> dict:
    """Variables added to a part's environment: with --one-thread, torch (OpenMP) and XLA each on one thread,
    which keeps a loaded machine from stalling their thread pools (a 2-core machine shared by several jobs
    slows a two-thread LSTM epoch tens of times)."""
    if not args.one_thread:
        return {}
    xla = (os.environ.get("XLA_FLAGS", "") + " --xla_cpu_multi_thread_eigen=false intra_op_parallelism_threads=1")
    return {"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "XLA_FLAGS": xla.strip(),
            "TF_NUM_INTRAOP_THREADS": "1", "TF_NUM_INTEROP_THREADS": "1"}


def spawn_part(workload, part: str, args):
    """Run one part in a fresh interpreter; its result dict, or None (with its stderr shown) if it failed."""
    try:
        done = subprocess.run(part_command(workload, part, args), capture_output=True, text=True,
                              env={**os.environ, **part_environment(args)}, timeout=300 if args.quick else 1800)
    except subprocess.TimeoutExpired:
        print(f"  {workload.name} {part}: timed out", file=sys.stderr)
        return None
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT)]
    if done.returncode or not lines:
        print(f"  {workload.name} {part} failed (exit {done.returncode}):\n{done.stderr[-3000:]}", file=sys.stderr)
        return None
    return json.loads(lines[-1][len(RESULT):])


def measure(workloads, parts, args) -> dict:
    """{workload name: {part: [result or None per round]}}, the parts rotated from round to round."""
    results = {}
    rounds = args.rounds
    for workload in workloads:
        per_part = results[workload.name] = {part: [] for part in parts}
        for turn in range(rounds):
            for part in parts[turn % len(parts):] + parts[:turn % len(parts)]:
                start = time.perf_counter()
                result = spawn_part(workload, part, args)
                per_part[part].append(result)
                if result:
                    times = ", ".join(f"{row} {r['seconds']:.4g} s" for row, r in result["rows"].items())
                    print(f"  {workload.name} round {turn + 1}/{rounds} {PARTS[part][0]}: {times}, peak RSS "
                          f"{result['peak_rss_mb']:.0f} MB ({time.perf_counter() - start:.0f} s with start-up)",
                          file=sys.stderr, flush=True)
    return results


def _median_and_range(values) -> str:
    values = [v for v in values if v is not None]
    if not values:
        return "n/a"  # the reference failed in every round this part ran
    low, high = min(values), max(values)
    spread = f" ({low:.2f}–{high:.2f})" if f"{low:.2f}" != f"{high:.2f}" else ""
    return f"{statistics.median(values):.2f}{spread}"


def _ratios(samples, reference, value):
    """Per round: value(sample) / value(reference sample), None where either is missing."""
    return [value(s) / value(r) if s and r else None for s, r in zip(samples, reference)]


def _duration(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    return f"{seconds * 1e3:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _compiles(samples) -> str:
    """The compile counts a part reported (train/test/predict for lamina), "n/a" where it keeps none."""
    seen = []
    for sample in samples:
        counts = sample and sample.get("compiles")
        text = ",".join(str(counts[k]) for k in ("train", "test", "predict")) if isinstance(counts, dict) else \
            ("n/a" if counts is None else str(counts))
        if sample and text not in seen:
            seen.append(text)
    return " or ".join(seen)


def _columns(parts) -> list:
    """The parts the table shows: the loops and lamina always (a dash where not run), Keras where run."""
    return [part for part in PARTS if part not in KERAS_PARTS or part in parts]


def _row(name: str, samples: dict, parts) -> str:
    """One table line: a row's times, first epochs, compile counts and peak RSS, from each part's rounds."""
    reference = samples.get("torch", [])
    columns = _columns(parts)

    def seconds(sample):
        return sample["rows"][name]["seconds"]

    def first(part):
        values = [s["rows"][name].get("first_s") for s in samples.get(part, []) if s]
        values = [v for v in values if v is not None]
        return f"{statistics.median(values):.2f}" if values else "—"

    def cell(part, text):
        """text(part's samples), or why there is none: the part was not run, or failed in every round."""
        if part not in parts:
            return "—"
        return text(samples[part]) if any(samples[part]) else "failed"

    times = [seconds(s) for s in reference if s]
    cells = [cell("torch", lambda _: f"1.00 ({_duration(statistics.median(times))})")]
    cells += [cell(p, lambda own: _median_and_range(_ratios(own, reference, seconds))) for p in columns[1:]]
    to_jax = [cell(p, lambda own: _median_and_range(_ratios(own, samples["jax"], seconds))) for p in LAMINA_PARTS]
    rss = [cell("torch", lambda own: f"{statistics.median(s['peak_rss_mb'] for s in own if s):.0f} MB")]
    rss += [cell(p, lambda own: _median_and_range(_ratios(own, reference, lambda s: s["peak_rss_mb"])))
            for p in columns[1:]]
    compiles = [cell(p, _compiles) for p in columns[1:]]
    return (f"| {name} | " + " | ".join(cells) + " | " + " / ".join(to_jax) + " | "
            + " / ".join(first(p) for p in columns) + " | " + " / ".join(compiles) + " | " + " / ".join(rss) + " |")


def table(workloads, results, parts) -> str:
    """One markdown table: per row, each part's time as a ratio to the torch loop, lamina's also to the jax
    loop, first epochs, compile counts and peak RSS as ratios to the torch loop's."""
    labels = [PARTS[part][0] for part in _columns(parts)]
    header = ("| workload | " + " | ".join(labels) + " | to the jax loop (" + " / ".join(labels[2:4])
              + ") | first epoch, s (" + " / ".join(labels) + ") | compiles (" + " / ".join(labels[1:])
              + ") | peak RSS (" + " / ".join(labels) + ") |")
    lines = [header, "|---" * (len(labels) + 5) + "|"]
    lines += [_row(row, results[w.name], parts) for w in workloads for row in w.rows]
    return "\n".join(lines)


def report(workloads, results, parts, args, loads) -> str:
    """The table with what it measured and how noisy the machine was."""
    mode = "quick (a tenth of the rows: a smoke check, not a measurement)" if args.quick else "full"
    threads = "each engine on one thread" if args.one_thread else "each engine with its default threads"
    data = sorted({f"{w.name}: {s['data']}" for w in workloads for part in results[w.name].values()
                   for s in part if s and s.get("data")})
    return "\n".join([
        f"# lamina benchmarks, {time.strftime('%Y-%m-%d %H:%M')}",
        "",
        f"Mode {mode}; {args.rounds} round(s) of {args.epochs} timed epoch(s) after the first; each part in its "
        f"own process, {threads}. Load average {loads[0]:.1f} at the start, {loads[1]:.1f} at the end "
        f"({os.cpu_count()} cores).",
        "",
        table(workloads, results, parts),
        "",
        "Times are ratios to the hand-written torch loop of the same round (lower is better; its own time in "
        "brackets), and lamina's also to the jax loop: the median over rounds, with the range when the rounds "
        "disagree. Keras columns (with --keras-python): Keras 3 running the same model code. First epochs include "
        "compiling. Compiles: the jax loop's traced step count, lamina's `model._steps.compile_counts()` as "
        "train,test,predict (n/a: not reported). Peak RSS: each part's process maximum (imports and data "
        "included), as a ratio to the torch loop's.",
        "",
        "Data: " + "; ".join(data) + ".",
        "",
    ])


def write_atomically(path: str, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename, so a reader never sees half a table."""
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".results-", suffix=".md")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def main(workloads, doc: str, default_out=None, engines=None) -> None:
    """Command line of a benchmark script (one workload) and of run_all (all of them). ``engines`` is the
    default of --engines; without it, $LAMINA_BACKEND where set, else both engines."""
    engines = engines or os.environ.get("LAMINA_BACKEND") or "torch,jax"
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a tenth of the rows, fewer epochs and rounds")
    parser.add_argument("--epochs", type=int, help="timed epochs after the first (default 3, quick 1)")
    parser.add_argument("--rounds", type=int, help="rounds of all parts (default 3, quick 1)")
    parser.add_argument("--engines", default=engines,
                        help=f"lamina engines to run, comma-separated (default {engines})")
    parser.add_argument("--out", default=default_out, help="also write the table to this file"
                        + (f" (default {default_out})" if default_out else ""))
    parser.add_argument("--one-thread", action="store_true",
                        help="torch and XLA on one thread each: steadier numbers on a loaded machine")
    parser.add_argument("--keras-python", metavar="PATH",
                        help="an interpreter with Keras 3 installed: also run the workloads on Keras, per engine")
    parser.add_argument("--keras-engines", metavar="LIST",
                        help="Keras backends to run with --keras-python, comma-separated, of torch, jax and "
                             "tensorflow (default: those of --engines)")
    parser.add_argument("--dry-run", action="store_true", help="print the commands, run nothing")
    parser.add_argument("--part", choices=list(PARTS), help=argparse.SUPPRESS)  # one part, in this process
    args = parser.parse_args()
    args.epochs = args.epochs or (QUICK_EPOCHS if args.quick else DEFAULT_EPOCHS)
    args.rounds = args.rounds or (QUICK_ROUNDS if args.quick else DEFAULT_ROUNDS)
    if args.part:
        if len(workloads) != 1:
            parser.error("--part measures one workload: run that workload's script")
        run_part(workloads[0], args.part, args.quick, args.epochs)
        return
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    parts = ["torch", "jax"] + [f"lamina-{e}" for e in engines]
    if args.keras_python:
        keras_engines = args.keras_engines.split(",") if args.keras_engines else engines
        parts += [f"keras-{e.strip()}" for e in keras_engines if e.strip()]
    unknown = [p for p in parts if p not in PARTS]
    if unknown:
        parser.error(f"unknown engine(s) in --engines or --keras-engines: {unknown}")
    if args.dry_run:
        environment = [f"{k}={v!r}" for k, v in part_environment(args).items()]
        for workload in workloads:
            for part in parts:
                print(" ".join(environment + part_command(workload, part, args)))
        print(f"{args.rounds} round(s) of these; table to stdout" + (f" and {args.out}" if args.out else ""))
        return
    start_load = os.getloadavg()[0]
    results = measure(workloads, parts, args)
    text = report(workloads, results, parts, args, (start_load, os.getloadavg()[0]))
    print(text)
    if args.out:
        write_atomically(args.out, text)
