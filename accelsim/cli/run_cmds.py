"""`accelsim run NETWORK|FILE --hw NAME|FILE` and `accelsim list dataflows`."""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING

from accelsim.cli.common import add_format, add_input, check_out, emit, fraction, positive_int
from accelsim.mapping import warmup
from accelsim.mapping.dataflows import NAMES
from accelsim.sparsity.density import parse_density

if TYPE_CHECKING:  # annotations only: pandas is imported where a command needs it
    import pandas as pd

    from accelsim.mapping.result import NetworkResult

TABLE_COLUMNS = ["layer", "type", "dataflow", "macs", "energy", "energy_per_mac", "energy_dram", "energy_glb",
                 "energy_noc", "energy_rf", "energy_mac", "cycles", "utilization", "mapping"]  # --wide
TABLE_WIDTH = 120  # characters of the default table; the mapping column is cut to fit
STORAGE_PARTS = ("dram", "glb", "noc", "rf", "mac")
BYPASS_DOMINATES = 0.5  # a note when a bypassed datatype's DRAM energy is over half a dataflow's energy


def narrow_table(frame: pd.DataFrame, width: int = TABLE_WIDTH) -> str:
    """The default `run` table: layer, type, (dataflow when several), energy, energy per MAC, the
    level with the largest energy and its share, utilization, cycles and the mapping, cut with
    '...' so that no line is wider than ``width`` (the full string: --wide or --format csv)."""
    import pandas as pd

    if not len(frame):
        return "(no rows)"
    parts = frame[[f"energy_{p}" for p in STORAGE_PARTS]].to_numpy(dtype=float)
    top = parts.argmax(axis=1)
    shown = pd.DataFrame({"layer": frame["layer"], "type": frame["type"]})
    if frame["dataflow"].nunique() > 1:
        shown["dataflow"] = frame["dataflow"]
    shown["energy"] = frame["energy"].map(lambda v: f"{v:.4g}")
    shown["per_mac"] = frame["energy_per_mac"].map(lambda v: f"{v:.4g}")
    shown["largest"] = [f"{STORAGE_PARTS[k]} {parts[i, k] / parts[i].sum():.0%}" for i, k in enumerate(top)]
    shown["util"] = frame["utilization"].map(lambda v: f"{v:.3f}")
    shown["cycles"] = frame["cycles"].map(lambda v: f"{int(v):,}")
    base = shown.to_string(index=False).splitlines()
    room = max(24, width - max(map(len, base)) - 2)
    cut = [m if len(m) <= room else m[: room - 3].rstrip() + "..." for m in frame["mapping"].astype(str)]
    shown["mapping"] = cut
    pad = max(map(len, cut))
    lines = shown.to_string(index=False, formatters={"mapping": lambda v: str(v).ljust(pad)}).splitlines()
    return "\n".join(line.rstrip() for line in lines)


def bypass_notes(results, hw) -> list[str]:
    """With several dataflows: a note per dataflow whose energy is over half DRAM accesses of
    datatypes the config keeps out of its GLB (``bypass``), e.g. eyeriss_v1's weights under os-c
    and nlr, pointing to the equal-area study."""
    if len(results) < 2:
        return []
    try:
        bypass = sorted(t.short for t in hw.level("glb").bypass)
    except (KeyError, AttributeError):
        return []
    mapped = [r for r in results if r.layers]
    if not mapped or not bypass:
        return []
    best = min(r.energy_per_mac for r in mapped)
    hit = []
    for r in mapped:
        b = r.energy_breakdown()
        share = sum(b.loc["dram", t] for t in bypass) / b.loc["total", "total"]
        if share > BYPASS_DOMINATES and r.energy_per_mac > 2 * best:
            hit.append(f"{r.dataflow} ({r.energy_per_mac:.4g} per MAC, {share:.0%} of it)")
    if not hit:
        return []
    return [f"note: DRAM traffic of {' and '.join(bypass)}, which {hw.name}'s GLB does not hold (bypass), dominates "
            f"the energy of", "  " + ", ".join(hit) + ":",
            "  this config's bypass choices, not only the dataflow; for the ISCA 2016 comparison at equal",
            "  storage area run `accelsim reproduce eyeriss-isca16`"]


# shown next to the dense figures when the run is sparse (--density or layers with densities)
SPARSE_COLUMNS = ["energy_dense", "cycles_dense", "dram_words", "dram_words_dense", "metadata_words"]


def register(sub, lister) -> None:
    p = sub.add_parser("run", help="map a network onto an accelerator and report energy, cycles, reuse")
    p.add_argument("network", help="zoo name (see `accelsim list networks`) or a workload file")
    p.add_argument("--hw", default="eyeriss_v1", help="hardware config name or YAML file (default eyeriss_v1)")
    p.add_argument("--dataflow", default=None,
                   help=f"one of {', '.join(NAMES)}, or all (every one but free; default: the config's "
                        "default_dataflow, e.g. rs for eyeriss_v1)")
    p.add_argument("--batch", type=positive_int, default=1, help="batch size N (default 1)")
    add_input(p)
    p.add_argument("--objective", choices=("energy", "cycles", "edp"), default="energy")
    p.add_argument("--psum-spill", action="store_true", dest="psum_spill",
                   help="also allow mappings that send partial sums to DRAM and read them back")
    p.add_argument("--max-evaluations", type=int, default=None, dest="max_evaluations", metavar="N",
                   help="stop each layer's search after about N mappings (0 = exhaustive; default: "
                        "exhaustive, except 100M for free); the exhaustive column says which")
    p.add_argument("--density", default=None, metavar="ifmap=D,weights=D,ofmap=D",
                   help="nonzero fractions for every layer (e.g. ifmap=0.4,weights=0.3): map and report under the "
                        "sparse model, dense figures alongside")
    p.add_argument("--min-utilization", type=fraction, default=0.0, dest="min_utilization", metavar="F",
                   help="only mappings that keep at least this fraction (0-1) of the PEs active")
    p.add_argument("--max-cycles", type=positive_int, default=None, dest="max_cycles", metavar="N",
                   help="only mappings that take at most N cycles per layer")
    p.add_argument("--fill-writes", choices=("charged", "free"), default="charged", dest="fill_writes",
                   help="charge a write for weight/ifmap words filled into the GLB and RFs (default), or "
                        "not (free: the ISCA 2016 Eq. (3) convention)")
    p.add_argument("--strip-mining", action="store_true", dest="strip_mining",
                   help="also search spatial factors that leave a partial array tile (as the Eyeriss chip "
                        "maps AlexNet; never a higher optimum, 3-4x the search time)")
    add_format(p)
    p.add_argument("--wide", action="store_true",
                   help=f"table: every column and the whole mapping (default: about {TABLE_WIDTH} characters)")
    p.add_argument("--out", default=None, help="write to FILE (atomically) instead of stdout")
    p.set_defaults(func=cmd_run)
    lister["dataflows"] = cmd_list_dataflows


def _totals(res: NetworkResult) -> str:
    return (f"total {res.network} on {res.hw}, {res.dataflow}: {res.macs:,} MACs, energy {res.energy_total:.6g} "
            f"({res.energy_per_mac:.4g} per MAC), {res.cycles:,} cycles\n"
            f"  {len(res.layers)} layers mapped, failed_layers: {len(res.failures)}"
            + (f" ({', '.join(f.layer for f in res.failures)}: no legal mapping, see stderr)" if res.failures else "")
            + f"; {res.evaluated:,} mappings evaluated in {res.seconds:.2f} s")


def _json_totals(r: NetworkResult, hw) -> dict:
    """Totals of one dataflow for the JSON meta. With a layer that has no legal mapping the
    network's totals are unknown: energy, cycles and latency are null and ``failed_layers`` says
    how many layers failed (never NaN: JSON has no NaN)."""
    failed = len(r.failures)
    known = not failed and bool(r.layers)
    cycles = r.cycles if known else None
    return {"dataflow": r.dataflow, "macs": r.macs if known else None,
            "energy": r.energy_total if known else None,
            "energy_per_mac": r.energy_per_mac if known else None, "cycles": cycles,
            "latency_ms": cycles / (hw.clock_mhz * 1e3) if known else None,
            "area_mm2": float(hw.area_mm2), "mapped_layers": len(r.layers), "failed_layers": failed}


def cmd_run(args) -> int:
    import pandas as pd

    from accelsim import api
    from accelsim.mapping.result import ResultSet
    from accelsim.report.render import render

    t0 = time.perf_counter()
    check_out(args.out)
    density = parse_density(args.density) if args.density is not None else None  # bad values fail before mapping
    hw = api.load_hw(args.hw)
    warmup.on_compile(lambda: print(warmup.notice(), file=sys.stderr, flush=True))
    net = api.load_network(args.network, batch=args.batch, input_shape=args.input_shape)
    result = api.simulate(net, hw, dataflow=args.dataflow, objective=args.objective, psum_spill=args.psum_spill,
                          max_evaluations=args.max_evaluations, density=density,
                          min_utilization=args.min_utilization, max_cycles=args.max_cycles,
                          fill_writes=args.fill_writes, strip_mining=args.strip_mining)
    results = result.results if isinstance(result, ResultSet) else (result,)
    frames = [r.to_frame() for r in results if r.layers]  # a dataflow that mapped nothing adds no rows
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=TABLE_COLUMNS)
    unit = hw.energy_unit
    if args.format == "table":
        totals = "\n".join([_totals(r) for r in results] + bypass_notes(results, hw))
        compile_s = warmup.compile_seconds()
        compiled = f" (of which {compile_s:.1f} s compiling the kernels, once)" if compile_s else ""
        footer = f"energy unit: {unit}\n{totals}\nwall time {time.perf_counter() - t0:.2f} s{compiled}"
        if args.wide:
            shown = frame[[c for c in TABLE_COLUMNS + SPARSE_COLUMNS if c in frame.columns]] if len(frame) else frame
            text = render(shown, "table", totals=footer)
        else:
            text = narrow_table(frame) + "\n" + footer + "\n"
    else:
        meta = {"network": net.name, "batch": net.batch, "hw": hw.name, "objective": args.objective,
                "energy_unit": unit, "accelsim_version": _version(),
                "totals": [_json_totals(r, hw) for r in results]}
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
    import pandas as pd

    from accelsim import api
    from accelsim.report.render import render

    rows = [{"dataflow": d.name, "title": d.title, "rows": " ".join(d.rows), "cols": " ".join(d.cols),
             "rf": " ".join(d.rf) or "-", "rf_bypass": " ".join(t.short for t in d.rf_bypass) or "-"}
            for d in api.list_dataflows()]
    emit(render(pd.DataFrame(rows), "table"))
    return 0
