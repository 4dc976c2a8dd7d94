"""Strip-mining's cost to the search: CPU seconds of `--dataflow all` on one config with the exact
splits only (``mapspace.STRIP = False``, the mapspace before strip-mining) and with strip-mined
spatial factors (the default), measured alternately in one process (kernels cached, energy
objective), the minimum over ``--repeat`` rounds each. CPU time (all threads of the process), not
wall time, so other jobs on a shared machine distort it less. Prints a table, the per-dataflow
split of the last round, then one JSON summary line (the last line). Never part of the test run.

    python benchmarks/bench_strip.py [--networks alexnet vgg16] [--hw eyeriss_v1] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import time


def measure(networks, hw_name, repeat):
    import accelsim
    from accelsim.mapping import mapspace
    from accelsim.mapping.dataflows import ALL_NAMES

    hw = accelsim.load_hw(hw_name)
    accelsim.simulate(accelsim.load_network("lenet5"), hw, dataflow="all")  # compile / load caches
    rows = []
    per_df = {}
    try:
        for name in networks:
            net = accelsim.load_network(name)
            best = {False: float("inf"), True: float("inf")}
            evaluated = {}
            for _ in range(repeat):
                for strip in (False, True):
                    mapspace.STRIP = strip
                    c0 = time.process_time()
                    result = accelsim.simulate(net, hw, dataflow="all")
                    best[strip] = min(best[strip], time.process_time() - c0)
                    evaluated[strip] = sum(r.evaluated for r in result)
                    per_df[(name, strip)] = {r.dataflow: sum(x.evaluated for x in r.layers) for r in result}
            rows.append({"network": name, "dataflows": len(ALL_NAMES), "exact_cpu_s": round(best[False], 3),
                         "strip_cpu_s": round(best[True], 3), "ratio": round(best[True] / best[False], 2),
                         "exact_evaluated": evaluated[False], "strip_evaluated": evaluated[True]})
    finally:
        mapspace.STRIP = True
    return rows, per_df


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--networks", nargs="+", default=["alexnet"])
    ap.add_argument("--hw", default="eyeriss_v1")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    rows, per_df = measure(args.networks, args.hw, args.repeat)
    print(f"{'network':10s} {'exact CPU s':>12s} {'strip CPU s':>12s} {'ratio':>6s} {'evaluated exact':>16s} "
          f"{'evaluated strip':>16s}")
    for r in rows:
        print(f"{r['network']:10s} {r['exact_cpu_s']:12.3f} {r['strip_cpu_s']:12.3f} {r['ratio']:6.2f} "
              f"{r['exact_evaluated']:16,d} {r['strip_evaluated']:16,d}")
    for (name, strip), counts in per_df.items():
        print(f"  {name} {'strip' if strip else 'exact'}: " + ", ".join(f"{k} {v:,d}" for k, v in counts.items()))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    print(json.dumps({"benchmark": "strip", "hw": args.hw, "repeat": args.repeat, "load_average": load,
                      "results": rows}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
