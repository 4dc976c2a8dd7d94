"""`accelsim plot energy|dataflows|reuse|mapping NETWORK|FILE --hw NAME|FILE ... --out FILE` and
`accelsim plot isca16|jssc17 --out FILE`: a figure (PNG, PDF or SVG by the suffix of --out),
written atomically and byte-identical run to run. What each kind draws: accelsim/report/plots.py."""

from __future__ import annotations

import sys

from accelsim.cli.common import positive_int
from accelsim.errors import UsageError
from accelsim.mapping.dataflows import NAMES
from accelsim.sparsity.density import parse_density


def register(sub, lister) -> None:
    from accelsim.report import plots

    p = sub.add_parser("plot", help="draw a network's results or an Eyeriss reproduction as PNG, PDF or SVG")
    p.add_argument("kind", choices=tuple(plots.KINDS),
                   help="energy (per layer, stacked by level), dataflows (energy per MAC of each dataflow), "
                        "reuse (MACs per access per datatype), mapping (the PE array of one --layer), "
                        "isca16 / jssc17 (the Eyeriss reproductions)")
    p.add_argument("network", nargs="?", default=None,
                   help="zoo name or workload file (energy, dataflows, reuse only)")
    p.add_argument("--hw", default=None, help="hardware config name or YAML file (default eyeriss_v1)")
    p.add_argument("--dataflow", default=None,
                   help=f"one of {', '.join(NAMES)}, or all (default: the config's default_dataflow; all "
                        "for the dataflows plot)")
    p.add_argument("--batch", type=positive_int, default=None,
                   help="batch size N (default 1; for isca16: only this batch instead of 1, 16 and 64)")
    p.add_argument("--objective", choices=("energy", "cycles", "edp"), default=None,
                   help="what the mapper minimises (default energy)")
    p.add_argument("--psum-spill", action="store_true", dest="psum_spill",
                   help="also allow mappings that send partial sums to DRAM and read them back")
    p.add_argument("--max-evaluations", type=int, default=None, dest="max_evaluations", metavar="N",
                   help="stop each layer's search after about N mappings (0 = exhaustive)")
    p.add_argument("--by", choices=tuple(plots.STACKS), default=None,
                   help="energy: stack each layer's bar by storage level (default) or by datatype")
    p.add_argument("--per-mac", action="store_true", dest="per_mac", help="energy: energy per MAC, not per layer")
    p.add_argument("--per-layer", action="store_true", dest="per_layer",
                   help="dataflows: a group of bars per layer as well as the network total")
    p.add_argument("--db", default=None, help="pareto: the database of a finished `accelsim sweep`")
    p.add_argument("--x", default=None, help="pareto: the figure on the x axis (default energy)")
    p.add_argument("--y", default=None, help="pareto: the figure on the y axis (default cycles)")
    p.add_argument("--density", default=None, metavar="ifmap=D,weights=D,ofmap=D",
                   help="nonzero fractions for every layer: simulate under the sparse model (plot sparsity)")
    p.add_argument("--layers", default=None, metavar="conv|fc|NAME,...",
                   help="energy, dataflows, reuse: only these layers (conv, fc, or names such as conv1,fc6)")
    p.add_argument("--log", action="store_true", help="energy, dataflows: a log-scale energy axis")
    p.add_argument("--layer", default=None, metavar="NAME",
                   help="mapping: the layer whose PE-array mapping is drawn (only it is simulated)")
    p.add_argument("--out", required=True, help="the figure: FILE.png, FILE.pdf or FILE.svg")
    p.set_defaults(func=cmd_plot)


def cmd_plot(args) -> int:
    from accelsim import api
    from accelsim.report import plots

    options = {k: v for k, v in (("by", args.by), ("per_mac", args.per_mac or None),
                                 ("per_layer", args.per_layer or None), ("layers", args.layers),
                                 ("log", args.log or None), ("layer", args.layer)) if v is not None}
    if args.kind == "pareto":
        return _cmd_pareto(args, options)
    if args.db or args.x or args.y:
        raise UsageError(f"plot {args.kind} takes no --db, --x or --y (those are for plot pareto)")
    plots.check_options(args.kind, options)  # every check before a mapping run that may be long
    plots.check_path(args.out)
    density = parse_density(args.density) if args.density is not None else None
    if args.kind in api.STUDY_PLOTS:
        if args.network is not None:
            raise UsageError(f"plot {args.kind} takes no NETWORK (got {args.network!r}); it reruns the paper's study")
        api.plot(args.kind, out=args.out, hw=args.hw, dataflow=args.dataflow, objective=args.objective,
                 batch=args.batch, psum_spill=args.psum_spill, max_evaluations=args.max_evaluations, **options)
        print(f"wrote the {args.kind} plot to {args.out}")
        return 0
    if args.network is None:
        raise UsageError(f"plot {args.kind} needs a NETWORK (a zoo name or a workload file)")
    hw = api.load_hw(args.hw or "eyeriss_v1")
    net = api.load_network(args.network, batch=args.batch or 1)
    if args.layers is not None:  # a bad name ends here, before a mapping run that may be long
        plots.select_layers(net.to_frame(), args.layers)
    if args.kind == "mapping":
        if args.layer is None:
            raise UsageError("plot mapping needs --layer NAME (the layer whose mapping is drawn)")
        api.plot("mapping", net, out=args.out, hw=hw, dataflow=args.dataflow, objective=args.objective,
                 psum_spill=args.psum_spill, max_evaluations=args.max_evaluations, **options)
        print(f"wrote the mapping plot of {net.name} {args.layer} on {hw.name} to {args.out}")
        return 0
    result = api.simulate(net, hw, dataflow=args.dataflow or ("all" if args.kind == "dataflows" else None),
                          objective=args.objective or "energy", psum_spill=args.psum_spill,
                          max_evaluations=args.max_evaluations, density=density)
    for f in result.failures:  # plotted without them, as `accelsim run` reports them
        print(f"accelsim: error: layer {f.layer} ({f.dataflow}): no legal mapping: {f.reason}", file=sys.stderr)
    api.plot(args.kind, result, out=args.out, **options)
    print(f"wrote the {args.kind} plot of {net.name} on {hw.name} to {args.out}")
    return 2 if result.failures else 0


def _cmd_pareto(args, options) -> int:
    from accelsim import api
    from accelsim.report import plots

    options.update({k: v for k, v in (("x", args.x), ("y", args.y)) if v is not None})
    plots.check_options("pareto", options)
    plots.check_path(args.out)
    if args.network is not None or args.db is None:
        raise UsageError("plot pareto takes --db FILE (the database of a finished `accelsim sweep`), no NETWORK")
    api.plot("pareto", args.db, out=args.out, **options)
    print(f"wrote the pareto plot of {args.db} to {args.out}")
    return 0
