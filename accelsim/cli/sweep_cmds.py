"""`accelsim sweep SPEC.yaml --db FILE [--executor local|dask] [--workers K] [--scheduler ADDR]
[--format table|csv|json] [--out FILE] [--quiet]`: a design-space sweep (docs/dse.md). The table
goes to stdout (or --out, atomically); the last stderr line is the summary
`sweep: R rows (P points), C computed, K reused from FILE`."""

from __future__ import annotations

import sys

from accelsim.cli.common import add_format, emit, positive_int


def register(sub, lister) -> None:
    p = sub.add_parser("sweep", help="design-space sweep over hardware points, networks and dataflows (resumable)")
    p.add_argument("spec", help="sweep spec YAML (see docs/dse.md)")
    p.add_argument("--db", required=True,
                   help="SQLite file of finished evaluations: created if missing, reused and extended if it exists")
    p.add_argument("--executor", choices=("local", "dask"), default="local",
                   help="local processes (default) or Dask distributed")
    p.add_argument("--workers", type=positive_int, default=None,
                   help="processes that search (default: all cores; local: this one and K-1 spawned)")
    p.add_argument("--scheduler", default=None, help="dask: a running scheduler's address (default: a LocalCluster)")
    add_format(p)
    p.add_argument("--out", default=None, help="write the table to this file (atomically) instead of stdout")
    p.add_argument("--quiet", action="store_true", help="no progress bar (it is shown only on a terminal anyway)")
    p.set_defaults(func=cmd_sweep)


def cmd_sweep(args) -> int:
    from accelsim.dse.sweep import sweep
    from accelsim.report.render import render

    frame = sweep(args.spec, db=args.db, executor=args.executor, workers=args.workers, scheduler=args.scheduler,
                  quiet=args.quiet, summary=False)
    a = frame.attrs
    totals = (f"{int(frame['pareto'].sum())} of {len(frame)} rows on the Pareto front; "
              f"{int((frame['failed_layers'] > 0).sum())} rows with unmapped layers") if len(frame) else None
    meta = {"spec": args.spec, "db": args.db, "points": a["points"], "computed": a["computed"], "reused": a["reused"],
            "skipped": a["skipped"]}
    shown = frame.astype(object).where(frame.notna(), None) if args.format == "json" else frame  # NaN -> null
    emit(render(shown, args.format, totals=totals, meta=meta), args.out)
    if a["skipped"]:
        print(f"sweep: {len(a['skipped'])} points skipped by constraints (e.g. {a['skipped'][0]['reason']})",
              file=sys.stderr)
    print(f"sweep: {len(frame)} rows ({a['points']} points), {a['computed']} computed, {a['reused']} reused "
          f"from {args.db}", file=sys.stderr)
    return 0
