"""The first run and a repeated run of the README's command, as a user sees them.

    python benchmarks/bench_coldstart.py [--network alexnet] [--hw eyeriss_v1] [--repeats 3]

Cold: ``accelsim run NETWORK --hw HW`` in a fresh process with an empty numba cache (a new
``NUMBA_CACHE_DIR``), so every kernel the run needs is compiled. Warm: the same command again,
same cache (the median of ``--repeats`` runs). Import: ``python -c "import accelsim.cli"`` with
the warm cache (what every command pays before it starts). All times are wall seconds from
process start to exit, on whatever machine runs this (shared machines are noisy). The last line
is a JSON summary (``"benchmark": "coldstart"``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time


def _run(cmd: list[str], env: dict) -> tuple[float, str]:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        sys.exit(f"bench_coldstart: {' '.join(cmd)} exited {proc.returncode}: {proc.stderr.strip()[-300:]}")
    return wall, proc.stderr


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--network", default="alexnet")
    p.add_argument("--hw", default="eyeriss_v1")
    p.add_argument("--repeats", type=int, default=3)
    args = p.parse_args(argv)
    run = [sys.executable, "-m", "accelsim", "run", args.network, "--hw", args.hw]
    with tempfile.TemporaryDirectory(prefix="accelsim-cold-") as cache:
        env = {**os.environ, "NUMBA_CACHE_DIR": cache}
        cold, cold_err = _run(run, env)
        warm_runs = [_run(run, env)[0] for _ in range(args.repeats)]
        imports = [_run([sys.executable, "-c", "import accelsim.cli"], env)[0] for _ in range(args.repeats)]
        cached_files = sum(len(files) for _, _, files in os.walk(cache))
    warm = statistics.median(warm_runs)
    imp = statistics.median(imports)
    notice = next((line for line in cold_err.splitlines() if "compiling" in line), "")
    print(f"command       : {' '.join(run[2:])}")
    print(f"cold run      : {cold:.2f} s (empty numba cache; {cached_files} cache files written)")
    if notice:
        print(f"cold notice   : {notice}")
    print(f"warm run      : {warm:.2f} s (median of {args.repeats}: {', '.join(f'{w:.2f}' for w in warm_runs)})")
    print(f"cold / warm   : {cold / warm:.1f}x")
    print(f"import        : {imp:.2f} s (import accelsim.cli, median of {args.repeats})")
    print(json.dumps({"benchmark": "coldstart", "network": args.network, "hw": args.hw, "cold_s": round(cold, 3),
                      "warm_s": round(warm, 3), "ratio": round(cold / warm, 2), "import_s": round(imp, 3),
                      "cache_files": cached_files}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
