"""Plots of mapping results and of the Eyeriss reproductions (matplotlib, object-oriented API).

Each kind is a pure function from data to a ``matplotlib.figure.Figure``. Nothing here uses
pyplot, calls ``show`` or touches global figure state, so the functions are safe in scripts,
threads and notebooks (Jupyter shows a returned Figure inline). Every kind returns a Figure,
because several of them have more than one panel. ``energy`` and ``dataflows`` also take ``ax=``
(STYLE's ``(frame, ax=None)``) to draw into an Axes of yours and return ``ax.figure``.

- ``energy(data, by="level"|"datatype", per_mac=False)``: per-layer energy, one stacked bar per
  layer (ISCA 2016 Fig. 14 style), with one panel per run when the data holds several runs.
- ``dataflows(data, per_layer=False)``: energy per MAC of each dataflow, stacked by level, one group
  of bars per network total (per layer as well, then the total, with ``per_layer``).
- ``reuse(data)``: MACs per access at DRAM, GLB and RF for each datatype, on a log scale, per layer.
- ``isca16(frame)``: ``accelsim.papers.eyeriss.isca16()`` as in the paper's Figs. 10-11.
- ``jssc17(frame)``: ``accelsim.papers.eyeriss.jssc17()``, ours next to the published figures.
- ``sparsity(data)``: dense vs sparse per layer (energy, DRAM words with their metadata, cycles) of
  a result of ``simulate(..., density=...)``.

``data`` is a LayerResult, NetworkResult or ResultSet, or their ``.to_frame()`` rows (any
concatenation of `accelsim run` rows). A run is one (network, batch, hw, dataflow, objective).
Stacks go bottom-up from the PE outwards: ALU (MAC), RF, NoC (array), buffer (GLB), DRAM.
``save(fig, path)`` writes PNG, PDF or SVG by the path's suffix, atomically, and byte-identical
run to run (fixed SVG id salt, no dates or software versions in the file)."""

from __future__ import annotations

import io
import math
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from accelsim.errors import UsageError
from accelsim.iosafe import atomic_write_bytes
from accelsim.mapping.result import DTYPES
from accelsim.report import pareto_plot

if TYPE_CHECKING:
    from matplotlib.figure import Figure

LEVELS = ("mac", "rf", "noc", "glb", "dram")  # bottom-up in every stack
STACKS = {"level": LEVELS, "datatype": ("mac", *DTYPES)}
LABELS = {"mac": "ALU (MAC)", "rf": "RF", "noc": "NoC (array)", "glb": "buffer (GLB)", "dram": "DRAM",
          "weights": "weights", "ifmap": "ifmap", "psum": "psum"}
COLORS = {"mac": "#999999", "rf": "#009E73", "noc": "#56B4E9", "glb": "#E69F00", "dram": "#D55E00",
          "weights": "#0072B2", "ifmap": "#F0E442", "psum": "#CC79A7"}  # Okabe-Ito, colour-blind safe
REUSE_LEVELS = ("dram", "glb", "rf")
OURS, PUBLISHED = "#0072B2", "#E69F00"
METRICS = {"active_pes": ("active PEs", "PEs"), "latency_ms": ("latency", "ms"),
           "glb_mb": ("GLB data accessed", "MB"), "dram_mb": ("DRAM data accessed", "MB"),
           "mmacs": ("MACs", "million MACs"), "power_mw": ("power", "mW"),
           "frames_per_s": ("frame rate", "frames/s"), "dram_accesses_per_mac": ("DRAM accesses per MAC", "words")}
SHORT = {"latency_ms": "latency", "frames_per_s": "frames/s", "dram_accesses_per_mac": "DRAM/MAC"}
FORMATS = {".png": "png", ".pdf": "pdf", ".svg": "svg"}
_METADATA = {"png": {"Software": None}, "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
             "svg": {"Creator": None, "Date": None}}
_RC = {"svg.hashsalt": "accelsim", "svg.fonttype": "path"}  # a fixed salt: SVG ids no longer random
DPI = 150


# ---------------------------------------------------------------------------------------- helpers

def as_frame(data) -> pd.DataFrame:
    """The run rows of a result (anything with ``.to_frame()``) or a DataFrame, indexed 0..n-1."""
    if isinstance(data, pd.DataFrame):
        frame = data
    elif hasattr(data, "to_frame"):
        frame = data.to_frame()
    else:
        raise UsageError(f"cannot plot a {type(data).__name__}; expected a result of simulate() or a DataFrame")
    if not len(frame):
        raise UsageError("nothing to plot: the data has no rows (no layer was mapped)")
    return frame.reset_index(drop=True)


def _require(frame: pd.DataFrame, columns, kind: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise UsageError(f"a {kind} plot needs the column(s) {', '.join(missing)}, which the data lacks")


def unit_label(unit: str) -> str:
    """'normalized' (energies in units of one MAC's) -> 'normalized, MAC = 1'; 'pJ' stays."""
    return "normalized, MAC = 1" if unit == "normalized" else unit


def _energy_unit(frame: pd.DataFrame) -> str:
    if "energy_unit" not in frame.columns:  # the ISCA 2016 study is normalized throughout
        return unit_label("normalized")
    units = list(dict.fromkeys(frame["energy_unit"]))
    if len(units) > 1:
        raise UsageError(f"cannot plot energies in different units together ({', '.join(map(str, units))})")
    return unit_label(str(units[0]))


def _numbers(column) -> np.ndarray:
    """A column as floats; None (e.g. the reuse of a level a datatype never touches) -> NaN."""
    return pd.to_numeric(pd.Series(column), errors="coerce").to_numpy(dtype=float)


_RUN_KEYS = ("network", "N", "hw", "dataflow", "objective")


def _runs(frame: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """(title, rows) of each run in the frame, in order of first appearance."""
    keys = [k for k in _RUN_KEYS if k in frame.columns]
    if not keys:
        return [("", frame)]
    out = []
    for key, rows in frame.groupby(keys, sort=False):
        v = dict(zip(keys, key if isinstance(key, tuple) else (key,), strict=True))
        title = str(v.get("network", ""))
        if "N" in v:
            title += f", batch {v['N']}"
        if "hw" in v:
            title += f" on {v['hw']}"
        if "dataflow" in v:
            title += f", {v['dataflow']}"
        if v.get("objective", "energy") != "energy":
            title += f" (best {v['objective']})"
        out.append((title, rows))
    return out


def _new_figure(width: float, height: float) -> Figure:
    # matplotlib is imported on first use: every CLI command imports this module
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), layout="constrained")


def _panels(ax, nrows: int, ncols: int, width: float, height: float, **kw):
    """A grid of Axes (nrows x ncols array) and its Figure; ``ax`` stands for a 1 x 1 grid."""
    if ax is not None:
        if nrows * ncols != 1:
            raise UsageError(f"this plot has {nrows * ncols} panels; ax= takes a plot of one panel")
        return ax.figure, np.array([[ax]])
    fig = _new_figure(width * ncols, height * nrows)
    return fig, fig.subplots(nrows, ncols, squeeze=False, **kw)


def _positions(n_groups: int, n_bars: int) -> np.ndarray:
    """x of each bar, (groups, bars): bars of a group side by side, one bar's gap between groups."""
    step = n_bars + (1 if n_bars > 1 else 0)
    return np.arange(n_groups)[:, None] * step + np.arange(n_bars)[None, :]


def _group_ticks(ax, x: np.ndarray, groups, bars) -> None:
    """Group names under the groups; with several bars per group, bar names under each bar."""
    if x.shape[1] == 1:
        rotate = len(groups) > 10 or max(map(len, map(str, groups))) > 10
        ax.set_xticks(x[:, 0], [str(g) for g in groups], rotation=90 if rotate else 0)
        return
    names = [str(b) for b in bars] * len(groups)
    longest = max(len(line) for b in bars for line in str(b).split("\n"))
    rotate = x.size > 12 or longest > 8
    ax.set_xticks(x.ravel(), names, rotation=90 if rotate else 0, fontsize="small")
    ax.set_xticks(x.mean(axis=1), [str(g) for g in groups], minor=True)
    ax.xaxis.remove_overlapping_locs = False  # a group's centre is a bar's tick when it has an odd count
    lines = max(str(b).count("\n") + 1 for b in bars)
    pad = 6 + (longest * 6 if rotate else lines * 11)
    ax.tick_params(axis="x", which="minor", length=0, pad=pad)


def _stacked(ax, groups, bars, stacks: dict[str, np.ndarray], labels=LABELS, colors=COLORS) -> np.ndarray:
    """Groups of bars, each bar the stack of ``stacks`` (name -> values (groups, bars)) bottom-up
    in dict order, one BarContainer per stack name (labelled). Returns the bar tops (groups, bars)."""
    x = _positions(len(groups), len(bars))
    bottom = np.zeros(x.shape)
    for name, values in stacks.items():
        v = np.nan_to_num(np.asarray(values, dtype=float).reshape(x.shape))
        ax.bar(x.ravel(), v.ravel(), bottom=bottom.ravel(), width=0.8, label=labels[name], color=colors[name])
        bottom += v
    _group_ticks(ax, x, groups, bars)
    return bottom


def _label_tops(ax, tops: np.ndarray) -> None:
    """The total above each bar (skipped when there are too many bars to read)."""
    if tops.size > 24:
        return
    x = _positions(*tops.shape)
    for xi, top in zip(x.ravel(), tops.ravel(), strict=True):
        ax.annotate(f"{top:.3g}", (xi, top), xytext=(0, 2), textcoords="offset points", ha="center",
                    va="bottom", fontsize="x-small")


def _legend(ax, reverse: bool = True) -> None:
    """The legend beside ``ax``, top entry first (as the stack reads)."""
    handles, labels = ax.get_legend_handles_labels()
    if reverse:
        handles, labels = handles[::-1], labels[::-1]
    ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)


# ------------------------------------------------------------------------------------------ kinds

def energy(data, by: str = "level", per_mac: bool = False, ax=None) -> Figure:
    """Energy of each layer, one stacked bar per layer: by storage level (``energy_<level>``) or
    by datatype (``energy_<datatype>`` plus the ALU's ``energy_mac``, so each bar is the layer's
    ``energy``); with ``per_mac`` divided by the layer's MACs (then each bar is
    ``energy_per_mac``). One panel per run, sharing the energy axis."""
    if by not in STACKS:
        raise UsageError(f"unknown energy breakdown {by!r}; expected level or datatype")
    frame = as_frame(data)
    parts = STACKS[by]
    _require(frame, ["layer", "macs", *(f"energy_{p}" for p in parts)], "energy")
    unit = _energy_unit(frame)
    runs = _runs(frame)
    n_layers = max(len(rows) for _, rows in runs)
    fig, axes = _panels(ax, len(runs), 1, max(5.0, 0.45 * n_layers + 2.5), 3.6, sharey=True)
    for a, (title, rows) in zip(axes[:, 0], runs, strict=True):
        scale = _numbers(rows["macs"]) if per_mac else 1.0
        stacks = {p: (_numbers(rows[f"energy_{p}"]) / scale)[:, None] for p in parts}
        _stacked(a, list(rows["layer"]), [""], stacks)
        a.set_ylabel(f"energy per MAC ({unit})" if per_mac else f"energy ({unit})")
        a.set_title(title, fontsize="medium")
    _legend(axes[0, 0])
    return fig


def dataflows(data, per_layer: bool = False, ax=None) -> Figure:
    """Energy per MAC of each dataflow, stacked by level: one group per network (sum of its
    layers' energy over the sum of their MACs, as NetworkResult.energy_per_mac) and one bar per
    dataflow (per (hw, dataflow) when the data holds several configs). With ``per_layer``, one group
    per layer and then the network's total."""
    frame = as_frame(data)
    _require(frame, ["network", "layer", "dataflow", "macs", *(f"energy_{lv}" for lv in LEVELS)], "dataflows")
    unit = _energy_unit(frame)
    hws = frame["hw"] if "hw" in frame.columns else pd.Series([""] * len(frame))
    several_hw = hws.nunique() > 1
    bar_keys = list(dict.fromkeys(zip(hws, frame["dataflow"], strict=True)))
    bars = [f"{d}\n{h}" if several_hw else str(d) for h, d in bar_keys]
    nets = frame["network"].astype(str)
    if "N" in frame.columns and frame["N"].nunique() > 1:
        nets = nets + ", batch " + frame["N"].astype(str)
    net_names = list(dict.fromkeys(nets))
    groups, selectors = [], []
    for net in net_names:
        in_net = nets == net
        if per_layer:
            for layer in dict.fromkeys(frame.loc[in_net, "layer"]):
                groups.append(layer if len(net_names) == 1 else f"{net}: {layer}")
                selectors.append(in_net & (frame["layer"] == layer))
            groups.append("total" if len(net_names) == 1 else f"{net}: total")
        else:
            groups.append(net)
        selectors.append(in_net)
    stacks = {lv: np.full((len(groups), len(bars)), np.nan) for lv in LEVELS}
    for g, sel in enumerate(selectors):
        for b, (h, d) in enumerate(bar_keys):
            rows = frame[sel & (hws == h) & (frame["dataflow"] == d)]
            macs = _numbers(rows["macs"]).sum()
            if len(rows) and macs:
                for lv in LEVELS:
                    stacks[lv][g, b] = _numbers(rows[f"energy_{lv}"]).sum() / macs
    fig, axes = _panels(ax, 1, 1, max(5.0, 0.32 * len(groups) * (len(bars) + 1) + 2.5), 4.2)
    a = axes[0, 0]
    tops = _stacked(a, groups, bars, stacks)
    _label_tops(a, tops)
    a.set_ylabel(f"energy per MAC ({unit})")
    hw_names = sorted(set(map(str, hws)) - {""})
    a.set_title("energy per MAC by dataflow" + (f" on {hw_names[0]}" if len(hw_names) == 1 else ""),
                fontsize="medium")
    _legend(a)
    return fig


def reuse(data) -> Figure:
    """Data reuse, MACs per access (``reuse_<level>_<datatype>``) at DRAM, GLB and RF, one panel per
    datatype (side by side; one above the other for more than 8 layers) and one group of bars per
    layer, on a log scale; one set of panels per run. A missing bar: the datatype never touches
    that level (it bypasses it)."""
    frame = as_frame(data)
    _require(frame, ["layer", *(f"reuse_{lv}_{t}" for t in DTYPES for lv in REUSE_LEVELS)], "reuse")
    runs = _runs(frame)
    n_layers = max(len(rows) for _, rows in runs)
    width = max(3.5, 0.5 * n_layers + 1.0)
    ncols = len(DTYPES) if n_layers <= 8 else 1  # a long network: the datatypes one above the other
    nrows = len(DTYPES) // ncols
    fig = _new_figure(width * ncols, 3.6 * nrows * len(runs))
    for sub, (title, rows) in zip(fig.subfigures(len(runs), 1, squeeze=False)[:, 0], runs, strict=True):
        axes = sub.subplots(nrows, ncols, sharey=True, squeeze=False).ravel()
        layers = [str(v) for v in rows["layer"]]
        x = _positions(len(layers), len(REUSE_LEVELS))
        for a, t in zip(axes, DTYPES, strict=True):
            for j, lv in enumerate(REUSE_LEVELS):
                a.bar(x[:, j], _numbers(rows[f"reuse_{lv}_{t}"]), width=0.8, label=LABELS[lv], color=COLORS[lv])
            a.set_yscale("log")
            rotate = len(layers) > 8 or max(map(len, layers)) > 6
            a.set_xticks(x.mean(axis=1), layers, rotation=90 if rotate else 0)
            a.set_title(t, fontsize="medium")
        for a in axes[::ncols]:
            a.set_ylabel("MACs per access (log scale)")
        sub.suptitle(title, fontsize="medium")
    _legend(fig.axes[ncols - 1], reverse=False)
    fig.supxlabel("layer (no bar: the datatype bypasses that level)", fontsize="small")
    return fig


def _study_grid(rows: pd.DataFrame, batches, dataflows, column: str) -> np.ndarray:
    index = pd.MultiIndex.from_product([batches, dataflows], names=["batch", "dataflow"])
    values = rows.set_index(["batch", "dataflow"])[column]
    if values.index.has_duplicates:
        raise UsageError("an isca16 frame has one row per (dataflow, layers, batch); this one repeats some")
    return values.reindex(index).to_numpy(dtype=float).reshape(len(batches), len(dataflows))


def isca16(frame: pd.DataFrame) -> Figure:
    """The ISCA 2016 dataflow comparison (``eyeriss.isca16()``) as in the paper's Figs. 10-11: for
    CONV and FC layers (columns), energy per MAC of each dataflow grouped by batch, stacked by level
    (top row) and by datatype (middle row), and DRAM accesses per MAC (bottom row)."""
    frame = as_frame(frame)
    need = ["dataflow", "layers", "batch", "dram_accesses_per_mac",
            *(f"energy_per_mac_{p}" for p in dict.fromkeys(STACKS["level"] + STACKS["datatype"]))]
    _require(frame, need, "isca16")
    unit = _energy_unit(frame)
    kinds = [k for k in ("conv", "fc") if k in set(frame["layers"])]
    if not kinds:
        raise UsageError("an isca16 frame has layers 'conv' and/or 'fc'; this one has neither")
    dfs = list(dict.fromkeys(frame["dataflow"]))
    batches = sorted(set(frame["batch"]))
    groups = [f"batch {b}" for b in batches]
    fig, axes = _panels(None, 3, len(kinds), max(5.0, 0.3 * len(batches) * (len(dfs) + 1) + 2.5), 3.4)
    for c, kind in enumerate(kinds):
        rows = frame[frame["layers"] == kind]
        name = "CONV" if kind == "conv" else "FC"
        for r, by in enumerate(("level", "datatype")):
            a = axes[r, c]
            _stacked(a, groups, dfs, {p: _study_grid(rows, batches, dfs, f"energy_per_mac_{p}") for p in STACKS[by]})
            a.set_title(f"{name} layers: energy per MAC by {by}", fontsize="medium")
            a.set_ylabel(f"energy per MAC ({unit})")
        a = axes[2, c]
        _stacked(a, groups, dfs, {"dram": _study_grid(rows, batches, dfs, "dram_accesses_per_mac")},
                 labels={"dram": "DRAM accesses"})
        a.set_title(f"{name} layers: DRAM accesses per MAC", fontsize="medium")
        a.set_ylabel("DRAM accesses per MAC (words)")
    for r in range(2):
        _legend(axes[r, -1])
    fig.suptitle("Eyeriss ISCA 2016: AlexNet, 256 PEs at equal storage area (cf. Figs. 10-11)")
    return fig


def _ratio_text(value) -> str:
    return "" if value is None or not math.isfinite(value) else f"{value:.2f}x"


def jssc17(frame: pd.DataFrame) -> Figure:
    """The Eyeriss v1 chip comparison (``eyeriss.jssc17()``): one panel per per-layer metric with
    ours and the published figure side by side for each CONV layer (ours / published above the
    pair), and a last panel of ours / published for the network totals."""
    frame = as_frame(frame)
    _require(frame, ["network", "layer", "metric", "ours", "published"], "jssc17")
    frame = frame.assign(ours=_numbers(frame["ours"]), published=_numbers(frame["published"]))
    frame = frame.assign(ratio=frame["ours"] / frame["published"])
    is_total = frame["layer"].astype(str).str.startswith("total")
    layers, totals = frame[~is_total], frame[is_total & frame["ratio"].notna()]
    metrics = list(dict.fromkeys(layers["metric"]))
    n = len(metrics) + (1 if len(totals) else 0)
    if not n:
        raise UsageError("a jssc17 frame needs per-layer rows or totals with a published figure; it has neither")
    ncols = min(3, n)
    nrows = math.ceil(n / ncols)
    fig, axes = _panels(None, nrows, ncols, 4.6, 3.4)
    flat = list(axes.ravel())
    for a, metric in zip(flat, metrics, strict=False):
        rows = layers[layers["metric"] == metric]
        names = rows["layer"].astype(str)
        if rows["network"].nunique() > 1:
            names = rows["network"].astype(str) + " " + names
        x = np.arange(len(rows))
        ours = a.bar(x - 0.2, rows["ours"], 0.4, label="ours", color=OURS)
        a.bar(x + 0.2, rows["published"], 0.4, label="published", color=PUBLISHED)
        a.bar_label(ours, labels=[_ratio_text(v) for v in rows["ratio"]], fontsize="x-small", padding=2)
        a.set_xticks(x, list(names), rotation=90 if len(rows) > 8 else 0)
        title, unit = METRICS.get(metric, (metric, ""))
        if rows["network"].nunique() == 1 and "batch" in rows.columns:
            title += f" ({rows['network'].iloc[0]}, batch {rows['batch'].iloc[0]})"
        a.set_title(title, fontsize="medium")
        a.set_ylabel(unit)
        a.margins(y=0.12)
    if len(totals):
        a = flat[len(metrics)]
        x = np.arange(len(totals))
        bars = a.bar(x, totals["ratio"], 0.6, label="ours / published", color=OURS)
        a.bar_label(bars, labels=[_ratio_text(v) for v in totals["ratio"]], fontsize="x-small", padding=2)
        a.axhline(1.0, color="black", linewidth=0.8)
        names = [f"{net}\n{SHORT.get(m, m)}" for net, m in zip(totals["network"], totals["metric"], strict=True)]
        a.set_xticks(x, names, rotation=90 if len(totals) > 6 else 0, fontsize="x-small")
        a.set_title("totals (CONV layers)", fontsize="medium")
        a.set_ylabel("ours / published")
        a.margins(y=0.12)
    for a in flat[n:]:
        a.set_axis_off()
    handles, labels = flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper right", fontsize="small", frameon=False)
    fig.suptitle("Eyeriss v1 chip (JSSC 2017): ours vs published, ours / published above the bars")
    return fig


def sparsity(data) -> Figure:
    """Dense vs sparse per layer (a result of ``simulate(..., density=...)`` or its rows): energy,
    DRAM words (the metadata part of the sparse bar hatched) and cycles, the sparse / dense ratio
    above each sparse bar. One bar pair per layer (prefixed by the dataflow when several)."""
    frame = as_frame(data)
    cols = ["layer", "energy", "energy_dense", "dram_words", "dram_words_dense", "dram_metadata_words", "cycles",
            "cycles_dense"]
    _require(frame, cols, "sparsity")
    names = frame["layer"].astype(str)
    if "dataflow" in frame.columns and frame["dataflow"].nunique() > 1:
        names = frame["dataflow"].astype(str) + " " + names
    unit = frame["energy_unit"].iloc[0] if "energy_unit" in frame.columns else ""
    panels = (("energy", "energy_dense", f"energy ({unit})"), ("dram_words", "dram_words_dense", "DRAM words"),
              ("cycles", "cycles_dense", "cycles"))
    fig, axes = _panels(None, 1, 3, max(4.0, 0.5 * len(frame) + 2.0), 3.6)
    x = np.arange(len(frame))
    for a, (sparse_col, dense_col, title) in zip(axes[0], panels, strict=True):
        dense, sparse = _numbers(frame[dense_col]), _numbers(frame[sparse_col])
        a.bar(x - 0.2, dense, 0.4, label="dense", color=PUBLISHED)
        bars = a.bar(x + 0.2, sparse, 0.4, label="sparse", color=OURS)
        if sparse_col == "dram_words":
            meta = _numbers(frame["dram_metadata_words"])
            a.bar(x + 0.2, meta, 0.4, bottom=sparse - meta, label="of which metadata", color="none",
                  edgecolor="black", hatch="///", linewidth=0.5)
        a.bar_label(bars, labels=[_ratio_text(s / d) if d else "" for s, d in zip(sparse, dense, strict=True)],
                    fontsize="x-small", padding=2)
        a.set_xticks(x, list(names), rotation=90 if len(frame) > 8 else 0)
        a.set_title(title, fontsize="medium")
        a.margins(y=0.12)
    handles, labels = axes[0][1].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper right", fontsize="small", frameon=False)
    fig.suptitle("dense vs sparse (sparse / dense above the bars)")
    return fig


KINDS = {"energy": energy, "dataflows": dataflows, "reuse": reuse, "isca16": isca16, "jssc17": jssc17,
         "sparsity": sparsity}
OPTIONS = {"energy": ("by", "per_mac"), "dataflows": ("per_layer",), "reuse": (), "isca16": (), "jssc17": (),
           "sparsity": ()}
KINDS["pareto"] = pareto_plot.pareto_figure  # a sweep table's fronts (accelsim/report/pareto_plot.py)
OPTIONS["pareto"] = ("x", "y")


def option_names(options) -> str:
    """Keyword names with their CLI flags: 'per_mac (--per-mac)'."""
    return ", ".join(f"{k} (--{k.replace('_', '-')})" for k in options)


def check_options(kind: str, options: dict) -> None:
    """A UsageError unless ``kind`` is a plot kind and ``options`` are among its keywords."""
    if kind not in KINDS:
        raise UsageError(f"unknown plot kind {kind!r}; expected one of {', '.join(KINDS)}")
    unknown = [k for k in options if k not in OPTIONS[kind]]
    if unknown:
        takes = ", ".join(OPTIONS[kind]) or "none"
        raise UsageError(f"plot {kind} has no option {option_names(unknown)} (its options: {takes})")
    if "by" in options and options["by"] not in STACKS:
        raise UsageError(f"unknown energy breakdown {options['by']!r}; expected level or datatype")


def figure(kind: str, data, **options) -> Figure:
    """The Figure of plot ``kind`` (a key of KINDS) for ``data``, with the kind's options."""
    check_options(kind, options)
    return KINDS[kind](data, **options)


# ------------------------------------------------------------------------------------------ files

def check_path(path) -> str:
    """The format ('png', 'pdf', 'svg') a plot written to ``path`` gets, from its suffix; a
    UsageError if the suffix is another or the folder is missing (checked before any long run)."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        shown = f"suffix {path.suffix!r}" if path.suffix else "no suffix"
        raise UsageError(f"cannot write plot {path}: {shown}; expected .png, .pdf or .svg")
    folder = path.parent
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise UsageError(f"cannot write plot {path}: folder {folder} {what}")
    if path.is_dir():
        raise UsageError(f"cannot write plot {path}: it is a folder")
    return fmt


def figure_bytes(fig: Figure, fmt: str) -> bytes:
    """The figure as a PNG, PDF or SVG file's bytes, the same bytes every time for the same figure."""
    import matplotlib as mpl

    buf = io.BytesIO()
    with mpl.rc_context(_RC):
        fig.savefig(buf, format=fmt, dpi=DPI, metadata=_METADATA[fmt])
    return buf.getvalue()


def save(fig: Figure, path) -> Path:
    """Write ``fig`` to ``path`` (format from the suffix) atomically: an existing file is replaced
    only once the new one is complete, and is left as it was if anything fails."""
    fmt = check_path(path)
    data = figure_bytes(fig, fmt)
    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        raise UsageError(f"cannot write plot {path}: {exc.strerror or exc}") from None
    return Path(path)
