"""Mapper speed: mappings evaluated per second per core, and seconds per network (cold, i.e. with
numba compilation in a fresh cache, and warm) for AlexNet, VGG-16, ResNet-50 and MobileNet v1
under every dataflow of `--dataflow all` on the Eyeriss v1 config. Prints a table, then one JSON
summary line (the last line). Never part of the test run.

    python benchmarks/bench_mapper.py [--networks alexnet vgg16 ...] [--hw eyeriss_v1]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

NETWORKS = ("alexnet", "vgg16", "resnet50", "mobilenet-v1")


def warm(networks, hw_name):
    import numba

    import accelsim
    from accelsim.mapping.dataflows import ALL_NAMES

    hw = accelsim.load_hw(hw_name)
    threads = numba.get_num_threads()
    accelsim.simulate(accelsim.load_network("lenet5"), hw, dataflow="all")  # compile / load caches
    rows = []
    for name in networks:
        net = accelsim.load_network(name)
        t0, c0 = time.perf_counter(), time.process_time()
        result = accelsim.simulate(net, hw, dataflow="all")
        seconds, cpu = time.perf_counter() - t0, time.process_time() - c0
        evaluated = sum(r.evaluated for r in result)
        failed = sum(len(r.failures) for r in result)
        # per core = per CPU-second of the process (all threads), so the figure does not depend on
        # how the searches were spread over the cores
        rows.append({"network": name, "dataflows": len(ALL_NAMES), "layers": len(net.mapped_layers),
                     "warm_s": round(seconds, 3), "cpu_s": round(cpu, 3), "evaluated": evaluated,
                     "evals_per_s_per_core": round(evaluated / max(cpu, 1e-9)),
                     "failed_layers": failed})
    return rows, threads


def model_throughput(hw_name, seconds=3.0):
    """Mappings fully costed per second on one core by the cost model alone (the same numba code
    the search uses to cost a candidate: loop-order features, counts, energy and cycles), over
    every loop-order pair of random legal factorizations of AlexNet conv3."""
    import numpy as np
    from _throughput import cost_all_orders

    import accelsim
    from accelsim.mapping.dims import nest_bounds
    from accelsim.mapping.mapper import _sd
    from accelsim.mapping.mapspace import hardware_arrays, order_table

    hw = accelsim.load_hw(hw_name)
    layer = next(x for x in accelsim.load_network("alexnet").mapped_layers if x.name == "conv3")
    bounds, sd = nest_bounds(layer.nest), _sd(layer.nest)
    hwa = hardware_arrays(hw, accelsim.list_dataflows()[0])
    rng = np.random.default_rng(0)
    fs = np.ones((64, 5, 8), dtype=np.int64)
    for k in range(64):
        for d in range(8):
            n = int(bounds[d])
            for lvl in (3, 4, 0):  # a random split over GLB, DRAM and RF
                divs = [v for v in range(1, n + 1) if n % v == 0]
                fs[k, lvl, d] = rng.choice(divs)
                n //= fs[k, lvl, d]
            fs[k, 4, d] *= n
    perms, perm_off = order_table()
    args = (bounds, sd, fs, perms, perm_off, hwa.hold, hwa.multicast, hwa.e_read, hwa.e_write, hwa.mac_energy, hwa.bw)
    cost_all_orders(*args)  # compile
    done, t0 = 0, time.perf_counter()
    while time.perf_counter() - t0 < seconds:
        done += cost_all_orders(*args)
    return done / (time.perf_counter() - t0)


def cold(network, hw_name):
    """Seconds for a fresh process with an empty numba cache (compilation included)."""
    with tempfile.TemporaryDirectory() as cache:
        env = dict(os.environ, NUMBA_CACHE_DIR=cache)
        code = (f"import time,accelsim; t=time.perf_counter(); "
                f"accelsim.simulate(accelsim.load_network({network!r}), accelsim.load_hw({hw_name!r}), dataflow='all');"
                f"print(time.perf_counter()-t)")
        t0 = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        return float(out.stdout.strip().splitlines()[-1]), time.perf_counter() - t0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--networks", nargs="+", default=list(NETWORKS))
    ap.add_argument("--hw", default="eyeriss_v1")
    ap.add_argument("--no-cold", action="store_true", help="skip the cold (fresh cache) measurement")
    args = ap.parse_args(argv)
    rows, threads = warm(args.networks, args.hw)
    model_rate = model_throughput(args.hw)
    if not args.no_cold:
        in_proc, wall = cold(args.networks[0], args.hw)
        cold_row = {"network": args.networks[0], "cold_in_process_s": round(in_proc, 2), "cold_wall_s": round(wall, 2)}
    else:
        cold_row = {}
    print(f"{'network':14} {'layers':>6} {'warm s':>8} {'cpu s':>7} {'evaluated':>12} {'evals/s/core':>13} "
          f"{'failed':>6}")
    for r in rows:
        print(f"{r['network']:14} {r['layers']:6d} {r['warm_s']:8.2f} {r['cpu_s']:7.2f} {r['evaluated']:12,d} "
              f"{r['evals_per_s_per_core']:13,d} {r['failed_layers']:6d}")
    if cold_row:
        print(f"cold ({cold_row['network']}, empty numba cache): {cold_row['cold_in_process_s']} s in process, "
              f"{cold_row['cold_wall_s']} s wall incl. interpreter start")
    print(f"cost model alone: {model_rate / 1e6:.1f} M mappings fully costed per second on one core")
    total_eval = sum(r["evaluated"] for r in rows)
    print(json.dumps({"benchmark": "mapper", "hw": args.hw, "threads": threads, "networks": rows,
                      "cold": cold_row, "total_evaluated": total_eval,
                      "model_mappings_per_s_per_core": round(model_rate)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
