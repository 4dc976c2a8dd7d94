"""Pareto-front plots of a sweep table (``accelsim.sweep`` / ``accelsim sweep``): every design
point as a dot (one colour per dataflow), the points on the front of the two plotted figures
ringed and joined by a staircase line, the axes labelled with their units.

    ax = draw_pareto(frame, x="energy", y="cycles")          # one (network, batch) group
    fig = pareto_figure(frame)                               # one panel per network and batch

The front drawn is the two-dimensional front of (x, y), both minimised, among rows whose totals
cover the whole network (``failed_layers`` == 0); the table's own ``pareto`` column may use three
figures (see ``accelsim.dse.pareto``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from accelsim.errors import UsageError

if TYPE_CHECKING:  # annotations only: pandas is imported where a frame is made
    import pandas as pd

FIGURES = {"energy": "energy", "cycles": "cycles", "latency_ms": "latency (ms)", "area_mm2": "area (mm$^2$)",
           "energy_per_mac": "energy per MAC", "utilization": "PE utilization"}
# one colour per dataflow (Okabe-Ito, colour-blind safe), in the order of `--dataflow all`
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000")


def front_2d(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Boolean mask of the points no other point beats on both x and y (minimised): sort by x
    (then y) and keep each point whose y is below every y before it (duplicates both kept)."""
    order = np.lexsort((y, x))
    keep = np.zeros(len(x), dtype=bool)
    best_y, best_x = np.inf, None
    for i in order:
        if y[i] < best_y or (y[i] == best_y and x[i] == best_x):
            keep[i] = True
            best_y, best_x = y[i], x[i]
    return keep


def _label(frame: pd.DataFrame, name: str) -> str:
    text = FIGURES.get(name, name)
    if name in ("energy", "energy_per_mac") and "energy_unit" in frame.columns:
        units = list(dict.fromkeys(frame["energy_unit"]))
        if len(units) > 1:
            raise UsageError(f"cannot plot energies in different units together ({', '.join(map(str, units))})")
        text += " (normalized, MAC = 1)" if units[0] == "normalized" else f" ({units[0]})"
    return text


def draw_pareto(frame: pd.DataFrame, ax=None, x: str = "energy", y: str = "cycles", title: str | None = None,
                log: bool = True):
    """Draw the rows of ``frame`` (one network and batch) on ``ax`` (a new Figure's if None) and
    return the Axes: dots per dataflow, the (x, y) front ringed and joined in order of x."""
    for name in (x, y):
        if name not in frame.columns:
            raise UsageError(f"a pareto plot needs the column {name!r}, which the data lacks")
    if ax is None:
        from matplotlib.figure import Figure

        ax = Figure(figsize=(6.4, 4.8), layout="constrained").add_subplot()
    ok = frame[(frame.get("failed_layers", 0) == 0)]
    ok = ok[np.isfinite(ok[x].to_numpy(dtype=float)) & np.isfinite(ok[y].to_numpy(dtype=float))]
    xs, ys = ok[x].to_numpy(dtype=float), ok[y].to_numpy(dtype=float)
    dataflows = list(dict.fromkeys(ok["dataflow"])) if "dataflow" in ok.columns else [""]
    for i, df in enumerate(dataflows):
        sel = (ok["dataflow"] == df).to_numpy() if df else np.ones(len(ok), dtype=bool)
        ax.scatter(xs[sel], ys[sel], s=18, color=PALETTE[i % len(PALETTE)], alpha=0.75, label=df or None,
                   linewidths=0)
    if len(ok):
        keep = front_2d(xs, ys)
        order = np.argsort(xs[keep], kind="stable")
        fx, fy = xs[keep][order], ys[keep][order]
        ax.step(fx, fy, where="post", color="black", linewidth=1.0, zorder=3, label="Pareto front")
        ax.scatter(fx, fy, s=60, facecolors="none", edgecolors="black", linewidths=1.2, zorder=4)
    if log and len(ok) and (xs > 0).all() and (ys > 0).all():
        ax.set_xscale("log")
        ax.set_yscale("log")
    ax.set_xlabel(_label(frame, x))
    ax.set_ylabel(_label(frame, y))
    if title:
        ax.set_title(title, fontsize=10)
    if dataflows != [""] or len(ok):
        ax.legend(fontsize=8, frameon=False)
    ax.grid(True, which="major", alpha=0.3)
    return ax


def pareto_figure(data, x: str = "energy", y: str = "cycles"):
    """A Figure with one draw_pareto panel per (network, batch) of a sweep table."""
    import pandas as pd
    from matplotlib.figure import Figure

    if not isinstance(data, pd.DataFrame):
        raise UsageError(f"a pareto plot takes a sweep table (DataFrame), not a {type(data).__name__}")
    if not len(data):
        raise UsageError("nothing to plot: the sweep table has no rows")
    keys = [k for k in ("network", "batch") if k in data.columns]
    groups = list(data.groupby(keys, sort=False)) if keys else [((), data)]
    n = len(groups)
    cols = min(n, 2)
    rows = -(-n // cols)
    fig = Figure(figsize=(6.0 * cols, 4.5 * rows), layout="constrained")
    axes = np.atleast_1d(fig.subplots(rows, cols, squeeze=False)).ravel()
    for ax, (key, rows_) in zip(axes, groups, strict=False):
        key = key if isinstance(key, tuple) else (key,)
        title = ", ".join(f"{k} {v}" if k == "batch" else str(v) for k, v in zip(keys, key, strict=True))
        draw_pareto(rows_, ax=ax, x=x, y=y, title=title)
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig
