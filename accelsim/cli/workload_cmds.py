"""`accelsim list networks` and `accelsim layers NETWORK|FILE`."""

from __future__ import annotations

from accelsim.cli.common import add_format, add_input, emit, positive_int


def register(sub, lister) -> None:
    p = sub.add_parser("layers", help="the loop nests of a network's layers")
    p.add_argument("network", help="zoo name (see `accelsim list networks`) or a workload file")
    p.add_argument("--batch", type=positive_int, default=1, help="batch size N (default 1)")
    add_input(p)
    add_format(p)
    p.add_argument("--all", action="store_true", dest="all_layers",
                   help="also list pooling/add/concat/activation/normalization layers (0 MACs)")
    p.add_argument("--out", default=None, help="write to FILE instead of stdout")
    p.set_defaults(func=cmd_layers)
    lister["networks"] = cmd_list_networks


def cmd_layers(args) -> int:
    from accelsim import api
    from accelsim.report.render import render

    net = api.load_network(args.network, batch=args.batch, input_shape=args.input_shape)
    frame = net.to_frame(all_layers=args.all_layers)
    totals = (f"total: {len(net.mapped_layers)} mapped layers, {net.weights:,} weights, "
              f"{net.biases:,} biases, {net.params:,} params, {net.macs:,} MACs (batch {net.batch})")
    meta = {"network": net.name, "batch": net.batch, "source": net.source, "notes": net.notes,
            "weights": net.weights, "biases": net.biases, "params": net.params, "macs": net.macs}
    emit(render(frame, args.format, totals=totals, meta=meta), args.out)
    return 0


def cmd_list_networks(args) -> int:
    import pandas as pd

    from accelsim import api
    from accelsim.report.render import render

    rows = [{"network": e.name, "family": e.family, "source": e.source} for e in api.list_networks()]
    frame = pd.DataFrame(rows, columns=["network", "family", "source"])
    emit(render(frame, "table") if len(frame) else "(no networks)\n")
    return 0
