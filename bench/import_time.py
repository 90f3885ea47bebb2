"""Cost of `import lamina` on top of `import torch`: median of several fresh interpreters.

Run: .venv/bin/python bench/import_time.py
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys

RUNS = 7
PROBE = "import time, {first}; t = time.perf_counter(); import {second}; print(time.perf_counter() - t)"


def fresh_seconds(code: str) -> float:
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return float(out.strip().splitlines()[-1])


def main():
    argparse.ArgumentParser(description=__doc__).parse_args()
    torch_alone = statistics.median(fresh_seconds(PROBE.format(first="sys", second="torch")) for _ in range(RUNS))
    lamina_extra = statistics.median(
        fresh_seconds(PROBE.format(first="torch", second="lamina")) for _ in range(RUNS)
    )
    print(f"import torch: {torch_alone:.3f} s; import lamina after torch: {lamina_extra:.3f} s "
          f"(target < 1 s)")


if __name__ == "__main__":
    main()
