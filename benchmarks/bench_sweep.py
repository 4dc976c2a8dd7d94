"""Sweep speed: the README's example sweep (examples/sweep_example.yaml: AlexNet + MobileNet v1,
arrays 8x8 / 12x14 / 16x16 / 32x32 zipped x 4 GLB sizes x all 7 dataflows = 224 rows) run as
`accelsim sweep` subprocesses on fresh databases with 1 and with 2 local workers (warm numba
cache: a first untimed run fills it), then once more over the finished database (everything
reused). Also the CPU seconds of each run (its processes' user + system time), which the load of
other processes on the machine inflates less than the wall time. Prints a table, then one JSON
summary line (the last line). Never part of the test run.

    python benchmarks/bench_sweep.py [--spec examples/sweep_example.yaml] [--workers 1 2]

Targets (issue 14, 2-core machine, warm): 2 workers >= 1.7x faster than 1, the whole example
< 20 s (a hand loop over simulate() took ~80 s).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(spec: str, db: Path, workers: int) -> dict:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "accelsim", "sweep", spec, "--db", str(db), "--workers",
                           str(workers), "--format", "csv", "--quiet"], capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"bench_sweep: the sweep failed: {proc.stderr.strip()}")
    summary = proc.stderr.strip().splitlines()[-1]  # sweep: R rows (P points), C computed, K reused from FILE
    words = summary.replace("(", "").split()
    return {"workers": workers, "wall_s": round(wall, 2),
            "cpu_s": round(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, 2),
            "rows": int(words[1]), "points": int(words[3]), "computed": int(words[5]), "reused": int(words[7]),
            "table_sha": hashlib.sha256(proc.stdout.encode()).hexdigest(), "summary": summary}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--spec", default=str(ROOT / "examples" / "sweep_example.yaml"))
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        warmup = run(args.spec, tmp / "warm.db", max(args.workers))  # fills the numba cache; untimed
        runs = [run(args.spec, tmp / f"w{w}.db", w) for w in args.workers]
        again = run(args.spec, tmp / f"w{args.workers[-1]}.db", args.workers[-1])
    same = len({r["table_sha"] for r in (warmup, *runs, again)}) == 1
    print(f"{'workers':>7} {'wall s':>8} {'cpu s':>8} {'rows':>5} {'points':>6} {'computed':>8} {'reused':>6}")
    for r in (*runs, again):
        print(f"{r['workers']:7d} {r['wall_s']:8.2f} {r['cpu_s']:8.2f} {r['rows']:5d} {r['points']:6d} "
              f"{r['computed']:8d} {r['reused']:6d}")
    by = {r["workers"]: r for r in runs}
    speedup = round(by[1]["wall_s"] / by[2]["wall_s"], 2) if 1 in by and 2 in by else None
    load = os.getloadavg()
    print(f"tables identical across runs: {same}; speed-up 1 -> 2 workers: {speedup}x; rerun over the finished "
          f"database: {again['wall_s']} s ({again['reused']} evaluations reused); load average {load[0]:.1f} "
          f"on {os.cpu_count()} cores (other processes inflate wall times)")
    print(json.dumps({"benchmark": "sweep", "spec": os.path.relpath(args.spec, ROOT), "rows": runs[0]["rows"],
                      "evaluations": runs[0]["computed"], "runs": [{k: r[k] for k in ("workers", "wall_s", "cpu_s")}
                                                                   for r in runs],
                      "speedup_2_workers": speedup, "rerun_s": again["wall_s"], "reused": again["reused"],
                      "identical_tables": same, "loadavg_1min": round(load[0], 2), "cores": os.cpu_count()}))


if __name__ == "__main__":
    main()
