"""Optuna-guided search vs the exhaustive grid on one space, for fixed trial budgets: how much of
the grid's exact Pareto front (energy, cycles, area; all minimised) each search finds, and the
hypervolume it reaches as a fraction of the grid front's. docs/dse.md quotes the result.

The space (LeNet-5 on Eyeriss v1 with the capacity-scaled horowitz_45nm energies): PE rows x
cols in {4, 8, 16, 32}^2 x GLB {8192, 32768, 131072} words x all 7 dataflows = 336 (point,
dataflow) pairs. An Optuna trial picks one pair. Hypervolume is taken in log10 space of each
figure, from a reference point 10% beyond the worst value of the grid on each axis.

    python benchmarks/bench_optuna_vs_grid.py [--budgets 34 84] [--seeds 0 1 2] [--workers 2]

Prints a table, then one JSON summary line (the last line). Never part of the test run.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

import numpy as np

import accelsim
from accelsim.dse import non_dominated

SPACE = {"networks": ["lenet"], "dataflows": "all", "objective": "energy",
         "hw": {"base": "eyeriss_v1", "set": {"energy.table": "horowitz_45nm"},
                "vary": {"pe_array.rows": [4, 8, 16, 32], "pe_array.cols": [4, 8, 16, 32],
                         "levels.glb.shared_capacity_words": [8192, 32768, 131072]}}}
FIGURES = ["energy", "cycles", "area_mm2"]


def hypervolume(points: np.ndarray, ref: np.ndarray) -> float:
    """Exact hypervolume (minimisation) of 3-D points below ``ref``: slices along the last axis,
    each slice's 2-D area by a sweep over the first axis."""
    pts = points[np.all(points < ref, axis=1)]
    if not len(pts):
        return 0.0
    pts = pts[np.argsort(pts[:, 2])]
    total = 0.0
    for i in range(len(pts)):
        z_next = pts[i + 1, 2] if i + 1 < len(pts) else ref[2]
        depth = z_next - pts[i, 2]
        if depth <= 0:
            continue
        sl = pts[: i + 1, :2]
        sl = sl[non_dominated(sl)]
        sl = sl[np.argsort(sl[:, 0])]
        area, y_prev = 0.0, ref[1]
        for x, y in sl:
            if y < y_prev:
                area += (ref[0] - x) * (y_prev - y)
                y_prev = y
        total += area * depth
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--budgets", type=int, nargs="+", default=[34, 84])
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    ap.add_argument("--workers", type=int, default=2)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "cmp.db")
        grid = accelsim.sweep(SPACE, db=db, workers=args.workers, quiet=True)
        logv = np.log10(grid[FIGURES].to_numpy(dtype=float))
        ref = logv.max(axis=0) + 0.1 * (logv.max(axis=0) - logv.min(axis=0))
        front = grid[non_dominated(logv)]
        hv_grid = hypervolume(logv[non_dominated(logv)], ref)
        front_keys = set(zip(front["point"], front["dataflow"], strict=True))
        rows = []
        for sampler in ("tpe", "nsga2"):
            for budget in args.budgets:
                for seed in args.seeds:
                    spec = dict(SPACE, search={"method": "optuna", "trials": budget, "seed": seed, "sampler": sampler})
                    found = accelsim.sweep(spec, db=db, workers=args.workers, quiet=True)
                    v = np.log10(found[FIGURES].to_numpy(dtype=float))
                    keys = set(zip(found["point"], found["dataflow"], strict=True))
                    rows.append({"sampler": sampler, "budget": budget, "seed": seed, "visited": len(found),
                                 "front_found": len(keys & front_keys), "front": len(front_keys),
                                 "hv_ratio": round(hypervolume(v[non_dominated(v)], ref) / hv_grid, 4)})
    # random sampling of the same number of pairs (no guidance) as the baseline
    for budget in args.budgets:
        for seed in args.seeds:
            pick = np.random.default_rng(seed).choice(len(grid), size=min(budget, len(grid)), replace=False)
            v = logv[pick]
            keys = set(zip(grid["point"].to_numpy()[pick], grid["dataflow"].to_numpy()[pick], strict=True))
            rows.append({"sampler": "random", "budget": budget, "seed": seed, "visited": len(pick),
                         "front_found": len(keys & front_keys), "front": len(front_keys),
                         "hv_ratio": round(hypervolume(v[non_dominated(v)], ref) / hv_grid, 4)})
    print(f"grid: {len(grid)} (point, dataflow) pairs, exact front {len(front_keys)} pairs")
    print(f"{'sampler':>8} {'budget':>6} {'seed':>4} {'visited':>7} {'front found':>11} {'HV / grid HV':>12}")
    for r in rows:
        print(f"{r['sampler']:>8} {r['budget']:6d} {r['seed']:4d} {r['visited']:7d} "
              f"{r['front_found']:>5d} / {r['front']:<3d} {r['hv_ratio']:12.4f}")
    summary = {}
    for r in rows:
        s = summary.setdefault(f"{r['sampler']}@{r['budget']}", {"front_found": [], "hv_ratio": []})
        s["front_found"].append(r["front_found"])
        s["hv_ratio"].append(r["hv_ratio"])
    print(json.dumps({"benchmark": "optuna_vs_grid", "pairs": len(grid), "front": len(front_keys),
                      "mean": {k: {"front_found": round(float(np.mean(v["front_found"])), 2),
                                   "hv_ratio": round(float(np.mean(v["hv_ratio"])), 4)} for k, v in summary.items()}}))


if __name__ == "__main__":
    main()
