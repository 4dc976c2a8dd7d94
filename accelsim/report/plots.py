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

from accelsim.errors import UsageError
from accelsim.iosafe import atomic_write_bytes
from accelsim.mapping.dims import DIMS
from accelsim.mapping.result import DTYPES
from accelsim.report import pareto_plot

if TYPE_CHECKING:
    import pandas as pd
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
DIMS_INDEX = {d: i for i, d in enumerate(DIMS)}


# ---------------------------------------------------------------------------------------- helpers

def as_frame(data) -> pd.DataFrame:
    """The run rows of a result (anything with ``.to_frame()``) or a DataFrame, indexed 0..n-1."""
    import pandas as pd

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
    import pandas as pd

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


REPORT_WIDTH = 7.0  # inches: a figure at report width, whatever the layer count
PANEL_HEIGHT = 2.7  # inches per row of wrapped panels
CONV_TYPES = ("conv", "dwconv", "gconv", "tconv")


def select_layers(frame: pd.DataFrame, layers) -> pd.DataFrame:
    """The rows of the chosen layers: None = all; 'conv' (conv, dwconv, gconv, tconv) or 'fc' by
    type; otherwise layer names, as a list or one comma-separated string ('conv1,fc6'). A name no
    run has, or a selection that keeps nothing, is a UsageError."""
    if layers is None:
        return frame
    names = [n.strip() for n in layers.split(",")] if isinstance(layers, str) else [str(n) for n in layers]
    names = [n for n in names if n]
    if not names:
        raise UsageError("an empty layer selection; expected conv, fc or layer names such as conv1,fc6")
    if names in (["conv"], ["fc"]):
        if "type" not in frame.columns:
            raise UsageError(f"cannot select the {names[0]} layers: the data has no type column")
        keep = frame["type"].isin(CONV_TYPES if names == ["conv"] else ("fc",))
        if not keep.any():
            raise UsageError(f"no {names[0]} layer to plot (layer types: {', '.join(dict.fromkeys(frame['type']))})")
        return frame[keep].reset_index(drop=True)
    have = list(dict.fromkeys(frame["layer"].astype(str)))
    missing = [n for n in names if n not in have]
    if missing:
        shown = ", ".join(have[:12]) + (", ..." if len(have) > 12 else "")
        raise UsageError(f"no layer {', '.join(missing)} in the data (layers: {shown}; or conv, fc)")
    return frame[frame["layer"].astype(str).isin(names)].reset_index(drop=True)


def _layer_note(layers) -> str:
    """' (conv layers)' / ' (fc layers)' / ' (selected layers)' for a title, '' for all."""
    if layers is None:
        return ""
    return f" ({layers} layers)" if layers in ("conv", "fc") else " (selected layers)"


def _chunks(n: int, per_row: int) -> list[slice]:
    """``n`` items in rows of at most ``per_row``, as even as possible (slices in order)."""
    rows = max(1, math.ceil(n / per_row))
    size = math.ceil(n / rows)
    return [slice(i, min(n, i + size)) for i in range(0, n, size)] or [slice(0, 0)]


def _set_log(ax, log: bool) -> None:
    if log:
        ax.set_yscale("log")


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
        ax.set_xticks(x[:, 0], [str(g) for g in groups], rotation=90 if rotate else 0, fontsize="small")
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
                    va="bottom", fontsize=7)


def _legend(ax, reverse: bool = True) -> None:
    """The legend beside ``ax``, top entry first (as the stack reads)."""
    handles, labels = ax.get_legend_handles_labels()
    if reverse:
        handles, labels = handles[::-1], labels[::-1]
    ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize="small", frameon=False)


# ------------------------------------------------------------------------------------------ kinds

MAX_BARS = 24  # single bars (one per layer) in one row of panels at report width
MAX_SLOTS = 44  # bar positions (bars plus one gap per group) in one row of grouped bars


def _top_legend(fig, ax) -> None:
    """The stack's legend above the panels, across the figure (top entry of the stack first)."""
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles[::-1], labels[::-1], loc="outside upper center", ncols=len(labels), fontsize="small",
               frameon=False)


def energy(data, by: str = "level", per_mac: bool = False, layers=None, log: bool = False, ax=None) -> Figure:
    """Energy of each layer, one stacked bar per layer: by storage level (``energy_<level>``) or
    by datatype (``energy_<datatype>`` plus the ALU's ``energy_mac``, so each bar is the layer's
    ``energy``); with ``per_mac`` divided by the layer's MACs (then each bar is
    ``energy_per_mac``). ``layers`` keeps 'conv', 'fc' or the named layers; ``log`` puts the
    energy axis on a log scale. One panel per run and at most MAX_BARS layers per panel (a
    longer network wraps onto more rows), panels sharing the energy axis, at report width."""
    if by not in STACKS:
        raise UsageError(f"unknown energy breakdown {by!r}; expected level or datatype")
    frame = as_frame(data)
    parts = STACKS[by]
    _require(frame, ["layer", "macs", *(f"energy_{p}" for p in parts)], "energy")
    frame = select_layers(frame, layers)
    unit = _energy_unit(frame)
    panels = []
    for title, rows in _runs(frame):
        for k, sl in enumerate(_chunks(len(rows), MAX_BARS)):
            panels.append((title + _layer_note(layers) + (" (continued)" if k else ""), rows.iloc[sl]))
    longest = max(len(str(v)) for v in frame["layer"])
    rotated = max(len(rows) for _, rows in panels) > 10 or longest > 10
    height = PANEL_HEIGHT + (0.075 * longest - 0.3 if rotated else 0.0)  # room for upright layer names
    fig, axes = _panels(ax, len(panels), 1, REPORT_WIDTH, max(PANEL_HEIGHT, height), sharey=True)
    for a, (title, rows) in zip(axes[:, 0], panels, strict=True):
        scale = _numbers(rows["macs"]) if per_mac else 1.0
        stacks = {p: (_numbers(rows[f"energy_{p}"]) / scale)[:, None] for p in parts}
        _stacked(a, list(rows["layer"]), [""], stacks)
        a.set_xlim(-0.6, max(len(rows), MAX_BARS // 3) - 0.4)  # a short network keeps slim bars
        _set_log(a, log)
        a.set_ylabel(f"energy per MAC ({unit})" if per_mac else f"energy ({unit})", fontsize="small")
        a.set_title(title, fontsize="medium")
    if ax is None:
        _top_legend(fig, axes[0, 0])
    else:
        _legend(axes[0, 0])
    return fig


def dataflows(data, per_layer: bool = False, layers=None, log: bool = False, ax=None) -> Figure:
    """Energy per MAC of each dataflow, stacked by level: one group per network (sum of its
    layers' energy over the sum of their MACs, as NetworkResult.energy_per_mac) and one bar per
    dataflow (per (hw, dataflow) when the data holds several configs). With ``per_layer``, one group
    per layer and then the network's total. ``layers`` keeps 'conv', 'fc' or the named layers (the
    totals are then over those); ``log`` puts energy per MAC on a log scale. Groups wrap onto
    more rows of panels (at most MAX_SLOTS bars per row) at report width."""
    import pandas as pd

    frame = as_frame(data)
    _require(frame, ["network", "layer", "dataflow", "macs", *(f"energy_{lv}" for lv in LEVELS)], "dataflows")
    frame = select_layers(frame, layers)
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
    per_row = max(1, MAX_SLOTS // (len(bars) + 1))
    chunks = _chunks(len(groups), per_row)
    fig, axes = _panels(ax, len(chunks), 1, REPORT_WIDTH, PANEL_HEIGHT + 0.5, sharey=True)
    hw_names = sorted(set(map(str, hws)) - {""})
    title = ("energy per MAC by dataflow" + (f" on {hw_names[0]}" if len(hw_names) == 1 else "")
             + _layer_note(layers))
    for k, (a, sl) in enumerate(zip(axes[:, 0], chunks, strict=True)):
        tops = _stacked(a, groups[sl], bars, {lv: v[sl] for lv, v in stacks.items()})
        if tops.size <= 16:
            _label_tops(a, tops)
        _set_log(a, log)
        a.set_ylabel(f"energy per MAC ({unit})", fontsize="small")
        a.set_title(title + (" (continued)" if k else ""), fontsize="medium")
    if ax is None:
        _top_legend(fig, axes[0, 0])
    else:
        _legend(axes[0, 0])
    return fig


MAX_REUSE_LAYERS = 10  # layers (groups of 3 bars) in one row of reuse panels


def reuse(data, layers=None, log: bool = True) -> Figure:
    """Data reuse, MACs per access (``reuse_<level>_<datatype>``) at DRAM, GLB and RF: one panel
    per datatype (side by side for up to 3 layers, else one above the other, a long network
    wrapping onto more rows of at most MAX_REUSE_LAYERS layers) and one group of bars per layer,
    on a log scale (``log=False``: linear); one set of panels per run. ``layers`` keeps 'conv',
    'fc' or the named layers. A missing bar: the datatype never touches that level (it bypasses
    it)."""
    frame = as_frame(data)
    _require(frame, ["layer", *(f"reuse_{lv}_{t}" for t in DTYPES for lv in REUSE_LEVELS)], "reuse")
    frame = select_layers(frame, layers)
    runs = _runs(frame)
    n_layers = max(len(rows) for _, rows in runs)
    ncols = len(DTYPES) if n_layers <= 3 else 1
    chunks = _chunks(n_layers, MAX_REUSE_LAYERS)
    nrows = len(DTYPES) // ncols * len(chunks)
    fig = _new_figure(REPORT_WIDTH, 2.3 * nrows * len(runs) + 0.6)
    for sub, (title, rows) in zip(fig.subfigures(len(runs), 1, squeeze=False)[:, 0], runs, strict=True):
        axes = sub.subplots(nrows, ncols, sharey=True, squeeze=False).ravel()
        panels = [(t, sl) for t in DTYPES for sl in _chunks(len(rows), MAX_REUSE_LAYERS)]
        for a in axes[len(panels):]:
            a.set_axis_off()
        for k, (a, (t, sl)) in enumerate(zip(axes, panels, strict=False)):
            part = rows.iloc[sl]
            names = [str(v) for v in part["layer"]]
            x = _positions(len(names), len(REUSE_LEVELS))
            for j, lv in enumerate(REUSE_LEVELS):
                a.bar(x[:, j], _numbers(part[f"reuse_{lv}_{t}"]), width=0.8, label=LABELS[lv], color=COLORS[lv])
            _set_log(a, log)
            rotate = len(names) > 6 or max(map(len, names)) > 6
            a.set_xticks(x.mean(axis=1), names, rotation=90 if rotate else 0, fontsize="small")
            a.set_xlim(-0.6, max(x.size + len(names), 4 * 4) - 1.4)
            a.set_title(t + (" (continued)" if k and panels[k - 1][0] == t else ""), fontsize="medium")
        for a in axes[::ncols]:
            a.set_ylabel("MACs per access" + (" (log)" if log else ""), fontsize="small")
        sub.suptitle(title + _layer_note(layers), fontsize="medium")
    handles, labels = fig.axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside upper center", ncols=len(labels), fontsize="small", frameon=False)
    fig.supxlabel("layer (no bar: the datatype bypasses that level)", fontsize="small")
    return fig


def _study_grid(rows: pd.DataFrame, batches, dataflows, column: str) -> np.ndarray:
    import pandas as pd

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


IDLE_COLOR = "#D9D9D9"
SET_COLORS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999933",
              "#8C564B", "#7F7FFF", "#2CA02C", "#FF9DA7")  # Okabe-Ito, then more; cycled for many sets


def _mapping_results(data, layer) -> list:
    """The LayerResults a mapping plot draws: one, or one per run for a ResultSet / several."""
    from accelsim.mapping.result import LayerResult

    if isinstance(data, LayerResult):
        items = [data]
    elif isinstance(data, (tuple, list)) and all(isinstance(r, LayerResult) for r in data):
        items = list(data)
    elif hasattr(data, "layers") and hasattr(data, "dataflow"):  # a NetworkResult
        items = list(data.layers)
    elif hasattr(data, "results"):  # a ResultSet
        items = [r for res in data.results for r in res.layers]
    else:
        raise UsageError(f"a mapping plot draws a result of simulate() (it needs the mappings), not a "
                         f"{type(data).__name__}")
    if layer is not None:
        have = list(dict.fromkeys(r.layer for r in items))
        items = [r for r in items if r.layer == layer]
        if not items:
            shown = ", ".join(have[:12]) + (", ..." if len(have) > 12 else "")
            raise UsageError(f"no layer {layer!r} in the result (layers: {shown})")
    names = list(dict.fromkeys(r.layer for r in items))
    if len(names) != 1:
        raise UsageError(f"a mapping plot draws one layer; the result has {len(names)} ({', '.join(names[:6])}"
                         f"{', ...' if len(names) > 6 else ''}): name one with layer= (--layer)")
    if not items[0].pe_array:
        raise UsageError("this result does not record its PE array's shape; simulate it again")
    return items


def _draw_pe_grid(ax, r, last_pass: bool, cell_pt: float, legend: bool = True) -> int:
    """One LayerResult's PE array on ``ax``: an RGB image (one pixel per PE; set colour or grey),
    the in-set digits written in each PE when a cell is large enough. Returns the active PEs."""
    from matplotlib.patches import Patch

    from accelsim.report import pe_grid

    rows, cols = r.pe_array
    idx = pe_grid.pe_indices(r.mapping, rows, cols, bounds=r.bounds or None, last_pass=last_pass)
    sets = pe_grid.pe_sets(idx, r.mapping)
    names = pe_grid.set_names(idx, r.mapping)
    colors = {s: SET_COLORS[k % len(SET_COLORS)] for k, s in enumerate(names)}
    from matplotlib.colors import to_rgb

    palette = np.array([to_rgb(c) for c in SET_COLORS])
    order = np.array(list(names), dtype=np.int64)  # set numbers, sorted
    on = sets != pe_grid.IDLE
    rgb = np.empty((rows, cols, 3))
    rgb[:] = to_rgb(IDLE_COLOR)
    if len(names) <= len(SET_COLORS):  # one colour per set, as the legend lists them
        rgb[on] = palette[np.searchsorted(order, sets[on])]
    else:  # colours cycle so that PE sets next to each other (across and down) differ
        f_rows, f_cols = pe_grid.factor_array(r.mapping)[1], pe_grid.factor_array(r.mapping)[2]
        row_set = np.zeros(sets.shape, dtype=np.int64)
        col_set = np.zeros(sets.shape, dtype=np.int64)
        for d in (DIMS_INDEX[x] for x in pe_grid.SET_DIMS):
            row_set = row_set * f_rows[d] + idx[..., d] // f_cols[d]
            col_set = col_set * f_cols[d] + idx[..., d] % f_cols[d]
        rgb[on] = palette[(row_set[on] + 5 * col_set[on]) % len(SET_COLORS)]
    ax.imshow(rgb, interpolation="nearest", aspect="equal")
    if max(rows, cols) <= 64:  # PE borders
        ax.set_xticks(np.arange(cols + 1) - 0.5, minor=True)
        ax.set_yticks(np.arange(rows + 1) - 0.5, minor=True)
        ax.grid(which="minor", color="white", linewidth=1.0)
        ax.tick_params(which="minor", length=0)
    step = max(1, math.ceil(max(rows, cols) / (16 if legend else 7)))
    ax.set_xticks(np.arange(0, cols, step))
    ax.set_yticks(np.arange(0, rows, step))
    ax.tick_params(labelsize=8)
    f = pe_grid.factor_array(r.mapping)
    inner = [d for d in pe_grid.PLACEMENT if d not in pe_grid.SET_DIMS]
    if cell_pt >= 24:
        labels = pe_grid.pe_labels(idx, r.mapping, dims=[d for d in inner if (f[1] * f[2])[DIMS_INDEX[d]] > 1])
        for i, j in zip(*np.nonzero(labels != ""), strict=True):
            dark = rgb[i, j].sum() < 1.6
            ax.text(j, i, "\n".join(str(labels[i, j]).split()), ha="center", va="center", fontsize=7 if
                    cell_pt < 26 else 8, color="white" if dark else "black", linespacing=0.9)
    rows_text = " ".join(t for t in _level_text(r.mapping, "rows"))
    cols_text = " ".join(t for t in _level_text(r.mapping, "cols"))
    ax.set_ylabel(f"PE row: {rows_text or '-'}", fontsize="small")
    ax.set_xlabel(f"PE column: {cols_text or '-'}", fontsize="small")
    n_active = int(pe_grid.active(idx).sum())
    if max(rows, cols) <= 64:  # PE-set borders (one collection of segments)
        from matplotlib.collections import LineCollection

        vi, vj = np.nonzero(sets[:, 1:] != sets[:, :-1])
        hi, hj = np.nonzero(sets[1:, :] != sets[:-1, :])
        segments = [*(((j + 0.5, i - 0.5), (j + 0.5, i + 0.5)) for i, j in zip(vi, vj, strict=True)),
                    *(((j - 0.5, i + 0.5), (j + 0.5, i + 0.5)) for i, j in zip(hi, hj, strict=True))]
        ax.add_collection(LineCollection(segments, colors="black", linewidths=1.6, capstyle="butt"))
    if not legend:
        return int(pe_grid.active(idx).sum())
    handles = ([Patch(color=c, label=f"set {names[s]}" if names[s] != "all" else "one PE set")
                for s, c in colors.items()] if len(names) <= len(SET_COLORS) else [])
    if not handles and names:
        sp = f[1] * f[2]
        dims = " x ".join(f"{d}{sp[DIMS_INDEX[d]]}" for d in pe_grid.SET_DIMS if sp[DIMS_INDEX[d]] > 1)
        handles = [Patch(color=SET_COLORS[0], label=f"{len(names)} PE sets ({dims}),\ncolours cycle"
                                                    + (",\nblack lines between sets" if max(rows, cols) <= 64
                                                       else ":\nneighbours differ"))]
    handles.append(Patch(color=IDLE_COLOR, label="idle"))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize="small", frameon=False)
    return n_active


def _level_text(mapping, level: str) -> list[str]:
    """The loops of one level in the report notation, e.g. ['E5', 'M2'] for cols."""
    return [f"{d}{n}" for d, n in mapping.level_factors(level).items()][::-1]


def mapping(data, layer: str | None = None) -> Figure:
    """The PE array of one layer as a grid, each PE coloured by its PE set (the 2-D convolution it
    works on: its image, group, filter and channel digits, N G M C), the digits of the dimensions
    unrolled inside a set (E F R S: ofmap rows and columns, filter rows and columns) written in the
    PE when there is room, idle PEs grey, active PEs and PE utilization in the title. ``data``: a
    LayerResult, or a NetworkResult / ResultSet with ``layer`` naming the layer (one panel per
    dataflow for a ResultSet). Decoding: accelsim/report/pe_grid.py. When a spatial factor does not
    divide its loop bound, a second panel shows the partial last pass."""
    from accelsim.report import pe_grid

    items = _mapping_results(data, layer)
    panels = []
    for r in items:
        panels.append((r, False))
        if r.bounds:
            first = pe_grid.active(pe_grid.pe_indices(r.mapping, *r.pe_array, bounds=r.bounds))
            last = pe_grid.active(pe_grid.pe_indices(r.mapping, *r.pe_array, bounds=r.bounds, last_pass=True))
            if (first != last).any():
                panels.append((r, True))
    ncols = 1 if len(panels) == 1 else 2
    nrows = math.ceil(len(panels) / ncols)
    rows, cols = items[0].pe_array
    grid_w = (REPORT_WIDTH - 1.9) if ncols == 1 else (REPORT_WIDTH - 1.0) / ncols - 0.4
    grid_w = min(grid_w, 0.42 * cols)
    cell_pt = grid_w / cols * 72
    fig = _new_figure(REPORT_WIDTH, nrows * (grid_w * rows / cols + (0.7 if ncols == 1 else 0.9)) + 0.4)
    axes = fig.subplots(nrows, ncols, squeeze=False).ravel()
    for a in axes[len(panels):]:
        a.set_axis_off()
    for a, (r, last) in zip(axes, panels, strict=False):
        n_active = _draw_pe_grid(a, r, last, cell_pt, legend=len(panels) == 1)
        total = rows * cols
        what = "last pass" if last else f"{r.active_pes}/{total} PEs"
        if len(panels) > 1:
            n_sets = len(pe_grid.set_names(pe_grid.pe_indices(r.mapping, rows, cols, bounds=r.bounds or None),
                                           r.mapping))
            a.set_title(f"{r.dataflow}: {what} ({n_active / total:.0%}), {n_sets} PE set{'s' * (n_sets > 1)}",
                        fontsize="small")
    r0 = items[0]
    head = f"{r0.network + ' ' if r0.network else ''}{r0.layer} on {r0.hw} ({rows} x {cols} PEs)"
    if len(items) == 1:
        head += (f", {r0.dataflow}: {r0.active_pes} of {rows * cols} PEs active, PE utilization "
                 f"{r0.pe_utilization:.1%}\n{r0.mapping.loop_text()}")
    else:
        head += "\ncolour: PE set (black lines between sets); grey: idle PEs"
    fig.suptitle(head, fontsize="medium")
    return fig


KINDS = {"energy": energy, "dataflows": dataflows, "reuse": reuse, "isca16": isca16, "jssc17": jssc17,
         "mapping": mapping, "sparsity": sparsity}
OPTIONS = {"energy": ("by", "per_mac", "layers", "log"), "dataflows": ("per_layer", "layers", "log"),
           "reuse": ("layers", "log"), "isca16": (), "jssc17": (), "mapping": ("layer",), "sparsity": ()}
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
