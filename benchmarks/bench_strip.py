"""Strip-mining's cost to the search: CPU and wall seconds of `--dataflow all` on one config with
the exact splits (the default mapspace) and with strip-mined spatial factors (``strip_mining=True``),
measured alternately in one process (kernels cached, energy objective), the minimum over
``--repeat`` rounds each. CPU time (all threads of the process) moves less than wall time when
other jobs share the machine. ``--baseline-python`` also measures the exact search with another
interpreter whose ``accelsim`` is an older checkout (e.g. the main issue 15 started from, to compare
with "today's warm time" of the issue), in a child process, the same way. Prints a table, the
per-dataflow split of the last round, then one JSON summary line (the last line). Never part of
the test run.

    python benchmarks/bench_strip.py [--networks alexnet vgg16] [--hw eyeriss_v1] [--repeat 3]
                                     [--baseline-python OLD_VENV/bin/python]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import time


def _time_search(net, hw, repeat, **kwargs):
    """(min CPU s, min wall s, result) of ``simulate(net, hw, dataflow="all", **kwargs)``."""
    import accelsim

    cpu = wall = float("inf")
    result = None
    for _ in range(repeat):
        c0, w0 = time.process_time(), time.perf_counter()
        result = accelsim.simulate(net, hw, dataflow="all", **kwargs)
        cpu = min(cpu, time.process_time() - c0)
        wall = min(wall, time.perf_counter() - w0)
    return cpu, wall, result


def measure(networks, hw_name, repeat):
    import accelsim
    from accelsim.mapping.dataflows import ALL_NAMES

    hw = accelsim.load_hw(hw_name)
    for strip in (False, True):  # compile / load caches
        accelsim.simulate(accelsim.load_network("lenet5"), hw, dataflow="all", strip_mining=strip)
    rows = []
    per_df = {}
    for name in networks:
        net = accelsim.load_network(name)
        cpu = {False: float("inf"), True: float("inf")}
        wall = dict(cpu)
        evaluated = {}
        for _ in range(repeat):
            for strip in (False, True):
                c, w, result = _time_search(net, hw, 1, strip_mining=strip)
                cpu[strip], wall[strip] = min(cpu[strip], c), min(wall[strip], w)
                evaluated[strip] = sum(r.evaluated for r in result)
                per_df[(name, strip)] = {r.dataflow: sum(x.evaluated for x in r.layers) for r in result}
        rows.append({"network": name, "dataflows": len(ALL_NAMES), "exact_cpu_s": round(cpu[False], 3),
                     "strip_cpu_s": round(cpu[True], 3), "ratio": round(cpu[True] / cpu[False], 2),
                     "exact_wall_s": round(wall[False], 3), "strip_wall_s": round(wall[True], 3),
                     "exact_evaluated": evaluated[False], "strip_evaluated": evaluated[True]})
    return rows, per_df


def baseline(python, networks, hw_name, repeat) -> dict:
    """The exact search's CPU and wall seconds per network under another interpreter's accelsim."""
    code = (f"import json, sys; sys.path.insert(0, {os.path.dirname(os.path.abspath(__file__))!r}); "
            f"import bench_strip as b; print(json.dumps(b._baseline_child({networks!r}, {hw_name!r}, {repeat})))")
    out = subprocess.run([python, "-c", code], check=True, capture_output=True, text=True, cwd="/")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _baseline_child(networks, hw_name, repeat) -> dict:
    import accelsim

    hw = accelsim.load_hw(hw_name)
    accelsim.simulate(accelsim.load_network("lenet5"), hw, dataflow="all")
    out = {"accelsim": os.path.dirname(accelsim.__file__)}
    for name in networks:
        net = accelsim.load_network(name)
        _time_search(net, hw, 1)
        cpu, wall, _ = _time_search(net, hw, repeat)
        out[name] = {"cpu_s": round(cpu, 3), "wall_s": round(wall, 3)}
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--networks", nargs="+", default=["alexnet"])
    ap.add_argument("--hw", default="eyeriss_v1")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--baseline-python", help="an interpreter whose accelsim is the checkout to compare with")
    args = ap.parse_args(argv)
    base = baseline(args.baseline_python, args.networks, args.hw, args.repeat) if args.baseline_python else None
    rows, per_df = measure(args.networks, args.hw, args.repeat)
    print(f"{'network':10s} {'exact CPU s':>12s} {'strip CPU s':>12s} {'ratio':>6s} {'exact wall s':>13s} "
          f"{'strip wall s':>13s} {'evaluated exact':>16s} {'evaluated strip':>16s}")
    for r in rows:
        print(f"{r['network']:10s} {r['exact_cpu_s']:12.3f} {r['strip_cpu_s']:12.3f} {r['ratio']:6.2f} "
              f"{r['exact_wall_s']:13.3f} {r['strip_wall_s']:13.3f} "
              f"{r['exact_evaluated']:16,d} {r['strip_evaluated']:16,d}")
        if base:
            b = base[r["network"]]
            r["baseline"] = b
            print(f"  baseline ({base['accelsim']}): exact {b['cpu_s']:.3f} CPU s, {b['wall_s']:.3f} wall s; "
                  f"strip-mined / baseline {r['strip_cpu_s'] / b['cpu_s']:.2f}x CPU, "
                  f"{r['strip_wall_s'] / b['wall_s']:.2f}x wall")
    for (name, strip), counts in per_df.items():
        print(f"  {name} {'strip' if strip else 'exact'}: " + ", ".join(f"{k} {v:,d}" for k, v in counts.items()))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    print(json.dumps({"benchmark": "strip", "hw": args.hw, "repeat": args.repeat, "load_average": load,
                      "results": rows}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
