"""`accelsim explain mapping "dram[...] glb[...] rows[...] cols[...] rf[...]"` and
`accelsim explain mapping NETWORK|FILE --layer NAME --hw NAME|FILE [--dataflow ...]`: a mapping
string of a report read aloud as a loop nest (accelsim/mapping/notation.py)."""

from __future__ import annotations

from accelsim.cli.common import emit, positive_int
from accelsim.errors import UsageError


def register(sub, lister) -> None:
    p = sub.add_parser("explain", help="read a mapping string aloud as a loop nest")
    p.add_argument("what", choices=("mapping",))
    p.add_argument("target", help="a mapping string such as 'dram[M4] glb[F55] rows[R11] cols[E5] rf[S11]', "
                                  "or a network (zoo name or workload file) with --layer")
    p.add_argument("--layer", default=None, help="with a network: the layer whose mapping is explained")
    p.add_argument("--hw", default="eyeriss_v1", help="with a network: hardware config (default eyeriss_v1)")
    p.add_argument("--dataflow", default=None, help="with a network: dataflow (default: the config's default)")
    p.add_argument("--batch", type=positive_int, default=1, help="with a network: batch size N (default 1)")
    p.add_argument("--objective", choices=("energy", "cycles", "edp"), default="energy")
    p.set_defaults(func=cmd_explain)


def cmd_explain(args) -> int:
    from accelsim import api
    from accelsim.mapping import notation

    text = args.target
    head = ""
    if "[" not in text:  # a network: map the one layer and explain its mapping
        if args.layer is None:
            raise UsageError(f"explain mapping {text}: name the layer with --layer (or give a mapping string)")
        net = api.load_network(text, batch=args.batch)
        try:
            layer = net[args.layer]
        except KeyError as exc:
            raise UsageError(exc.args[0]) from None
        if not layer.is_mapped:
            raise UsageError(f"layer {args.layer} of {net.name} is a {layer.type} layer; it has no mapping")
        r = api.simulate(layer, args.hw, dataflow=args.dataflow, objective=args.objective)
        text = r.mapping.loop_text()
        head = (f"# {net.name} {r.layer} on {r.hw}, {r.dataflow} (best {r.objective}): {r.active_pes} of "
                f"{r.pe_total} PEs active, {r.energy_per_mac:.4g} {r.energy_unit} per MAC\n")
    emit(head + notation.explain(text))
    return 0
