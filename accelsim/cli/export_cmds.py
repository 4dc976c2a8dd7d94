"""`accelsim export NETWORK|FILE --to timeloop|scalesim|csv|yaml --out PATH [--batch N]`.

Formats: ``timeloop`` (a folder with one problem per mapped layer, or one multi-document file
when PATH ends in .yaml/.yml), ``scalesim`` (topology CSV), ``csv`` (the layer table of
``accelsim layers --all --format csv``) and ``yaml`` (the lossless layer-table YAML). Every write
is atomic: a failed export leaves an existing PATH as it was.
"""

from __future__ import annotations

from accelsim.cli.common import positive_int
from accelsim.errors import UsageError
from accelsim.iosafe import atomic_write_text

FORMATS = ("timeloop", "scalesim", "csv", "yaml")


def register(sub, lister) -> None:
    p = sub.add_parser("export", help="write a network as Timeloop problems, a SCALE-Sim topology or a layer table")
    p.add_argument("network", help="zoo name (see `accelsim list networks`) or a workload file")
    p.add_argument("--to", required=True, choices=FORMATS, dest="to",
                   help="timeloop (folder, or one .yaml), scalesim (CSV), csv or yaml (layer table)")
    p.add_argument("--out", required=True, help="output file (a folder for --to timeloop without .yaml)")
    p.add_argument("--batch", type=positive_int, default=1, help="batch size N (default 1)")
    p.set_defaults(func=cmd_export)


def cmd_export(args) -> int:
    from accelsim import api

    if not args.out.strip():
        raise UsageError("--out is empty; give a file (or, for --to timeloop, a new folder)")
    net = api.load_network(args.network, batch=args.batch)
    try:
        what, where = _write(net, args.to, args.out)
    except OSError as exc:
        raise UsageError(f"cannot write --out {args.out}: {exc.strerror or exc}") from None
    print(f"wrote {what} of {net.name} to {where}")
    return 0


def _write(net, to: str, out: str) -> tuple[str, str]:
    from accelsim.workload import scalesim, table, timeloop

    if to == "timeloop":
        single = out.lower().endswith((".yaml", ".yml"))
        timeloop.write_timeloop(net, out)
        return f"{len(net.mapped_layers)} Timeloop problems", out if single else f"{out.rstrip('/')}/"
    text = {"scalesim": scalesim.topology_text, "csv": table.table_csv, "yaml": table.table_yaml}[to](net)
    atomic_write_text(out, text)
    n = len(net.mapped_layers) if to == "scalesim" else len(net.layers)
    return f"{'SCALE-Sim topology' if to == 'scalesim' else 'layer table'} of {n} layers", out
