"""`accelsim run NETWORK|FILE --hw NAME|FILE` and `accelsim list dataflows`."""

from __future__ import annotations

import sys
import time

import pandas as pd

from accelsim import api
from accelsim.cli.common import add_format, emit, fraction, positive_int
from accelsim.mapping.dataflows import NAMES
from accelsim.mapping.result import NetworkResult, ResultSet
from accelsim.report.render import render

TABLE_COLUMNS = ["layer", "type", "dataflow", "macs", "energy", "energy_per_mac", "energy_dram", "energy_glb",
                 "energy_noc", "energy_rf", "energy_mac", "cycles", "utilization", "mapping"]


def register(sub, lister) -> None:
    p = sub.add_parser("run", help="map a network onto an accelerator and report energy, cycles, reuse")
    p.add_argument("network", help="zoo name (see `accelsim list networks`) or a workload file")
    p.add_argument("--hw", default="eyeriss_v1", help="hardware config name or YAML file (default eyeriss_v1)")
    p.add_argument("--dataflow", default="rs",
                   help=f"one of {', '.join(NAMES)}, or all (every one but free; default rs)")
    p.add_argument("--batch", type=positive_int, default=1, help="batch size N (default 1)")
    p.add_argument("--objective", choices=("energy", "cycles", "edp"), default="energy")
    p.add_argument("--psum-spill", action="store_true", dest="psum_spill",
                   help="also allow mappings that send partial sums to DRAM and read them back")
    p.add_argument("--max-evaluations", type=int, default=None, dest="max_evaluations", metavar="N",
                   help="stop each layer's search after about N mappings (0 = exhaustive; default: "
                        "exhaustive, except 100M for free); the exhaustive column says which")
    p.add_argument("--min-utilization", type=fraction, default=0.0, dest="min_utilization", metavar="F",
                   help="only mappings that keep at least this fraction (0-1) of the PEs active")
    p.add_argument("--max-cycles", type=positive_int, default=None, dest="max_cycles", metavar="N",
                   help="only mappings that take at most N cycles per layer")
    p.add_argument("--fill-writes", choices=("charged", "free"), default="charged", dest="fill_writes",
                   help="charge a write for weight/ifmap words filled into the GLB and RFs (default), or "
                        "not (free: the ISCA 2016 Eq. (3) convention)")
    add_format(p)
    p.add_argument("--out", default=None, help="write to FILE (atomically) instead of stdout")
    p.set_defaults(func=cmd_run)
    lister["dataflows"] = cmd_list_dataflows


def _totals(res: NetworkResult) -> str:
    return (f"total {res.network} on {res.hw}, {res.dataflow}: {res.macs:,} MACs, energy {res.energy_total:.6g} "
            f"({res.energy_per_mac:.4g} per MAC), {res.cycles:,.0f} cycles, {len(res.layers)} layers mapped, "
            f"{len(res.failures)} failed; {res.evaluated:,} mappings evaluated in {res.seconds:.2f} s")


def cmd_run(args) -> int:
    t0 = time.perf_counter()
    hw = api.load_hw(args.hw)
    net = api.load_network(args.network, batch=args.batch)
    result = api.simulate(net, hw, dataflow=args.dataflow, objective=args.objective, psum_spill=args.psum_spill,
                          max_evaluations=args.max_evaluations, min_utilization=args.min_utilization,
                          max_cycles=args.max_cycles, fill_writes=args.fill_writes)
    results = result.results if isinstance(result, ResultSet) else (result,)
    frame = pd.concat([r.to_frame() for r in results], ignore_index=True) if results else pd.DataFrame()
    unit = hw.energy_unit
    if args.format == "table":
        shown = frame[[c for c in TABLE_COLUMNS if c in frame.columns]] if len(frame) else frame
        totals = "\n".join(_totals(r) for r in results)
        text = render(shown, "table", totals=f"energy unit: {unit}\n{totals}\n"
                                             f"wall time {time.perf_counter() - t0:.2f} s")
    else:
        meta = {"network": net.name, "batch": net.batch, "hw": hw.name, "objective": args.objective,
                "energy_unit": unit, "accelsim_version": _version(),
                "totals": [{"dataflow": r.dataflow, "macs": r.macs, "energy": r.energy_total,
                            "energy_per_mac": r.energy_per_mac, "cycles": r.cycles} for r in results]}
        text = render(frame, args.format, meta=meta)
    emit(text, args.out)
    failures = [f for r in results for f in r.failures]
    for f in failures:
        print(f"accelsim: error: layer {f.layer} ({f.dataflow}): no legal mapping: {f.reason}", file=sys.stderr)
    return 2 if failures else 0


def _version() -> str:
    from accelsim import __version__

    return __version__


def cmd_list_dataflows(args) -> int:
    rows = [{"dataflow": d.name, "title": d.title, "rows": " ".join(d.rows), "cols": " ".join(d.cols),
             "rf": " ".join(d.rf) or "-", "rf_bypass": " ".join(t.short for t in d.rf_bypass) or "-"}
            for d in api.list_dataflows()]
    emit(render(pd.DataFrame(rows), "table"))
    return 0
