"""SCALE-Sim topology CSV <-> accelsim layers.

Format (SCALE-Sim v1/v2 convolution topology; every row ends with a comma)::

    Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,
    conv1, 227, 227, 11, 11, 3, 96, 4,

What SCALE-Sim cannot say, and what we do about it:

- padding: none. Export writes the padded input trimmed to the rows and columns the layer reads,
  (E-1)*U + R by (F-1)*U + S: SCALE-Sim sizes the ofmap as ceil((H - R + U) / U), which counts
  one output more than floor((H - R) / U) + 1 whenever U does not divide H - R (e.g. ResNet's
  conv1, 224 + 6 = 230 rows: SCALE-Sim would make 113 outputs, not 112; 229 rows give 112 in
  both). Import reads a row as an unpadded input and, where U does not divide H - R, adds the
  bottom/right padding that makes our E and F equal SCALE-Sim's, so the MACs are what SCALE-Sim
  simulates.
- batch: none. Rows describe one sample; import gives every layer N = ``batch``.
- groups: none, but SCALE-Sim treats a layer whose name contains "DP" as depthwise (it runs
  Channels separate one-channel layers). Export writes a depthwise layer (C = 1) as one row named
  ``<name>_DP`` (unless the name already contains "DP") with Channels = G and Num Filter = the
  channel multiplier M; import reads any "DP" row as G = Channels, C = 1, M = Num Filter and drops
  a trailing "_DP". A grouped layer (G > 1, C > 1) exports as G identical rows
  ``<name>_g0of<G>`` .. ``<name>_g<G-1>of<G>`` (SCALE-Sim simulates each group), and import merges
  such a complete run back into one layer with G groups.
- dilation and unequal strides per axis: refused with an error naming the layer.
- transposed convs: exported as their direct stride-1 equivalent over the zero-inserted input.
- a non-depthwise layer whose name contains "DP", or a name with a comma, is refused.

A row whose filter covers its whole input (R = H, S = W) imports as an fc layer. Layer names
repeated in a file become ``name@2``, ``name@3``. SCALE-Sim v2's GEMM topology
(``Layer, M, N, K,``: an M x K by K x N product) imports as fc (M = 1) or a 1x1 conv over M
positions with C = K and N filters.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import replace
from pathlib import Path

from accelsim.errors import ShapeError, WorkloadError
from accelsim.safeinput import InputRefused, csv_rows, normalize_newlines, parse_int_text, read_regular_file
from accelsim.workload._framework import unique_name
from accelsim.workload.layer import Layer
from accelsim.workload.network import Network

HEADER = ["Layer name", "IFMAP Height", "IFMAP Width", "Filter Height", "Filter Width", "Channels", "Num Filter",
          "Strides"]
GEMM_HEADER = ["Layer", "M", "N", "K"]
_GROUP_ROW = re.compile(r"^(?P<base>.+)_g(?P<i>\d+)of(?P<g>\d+)$")


def _norm(cells: list[str]) -> list[str]:
    return [" ".join(c.split()).lower() for c in cells]


def is_topology_header(line: str) -> bool:
    """True if ``line`` is a SCALE-Sim topology header (conv or GEMM form)."""
    try:
        cells = [c for c in next(csv.reader([line]), []) if c.strip()]
    except csv.Error:
        return False
    return _norm(cells) in (_norm(HEADER), _norm(GEMM_HEADER))


# ---- export -----------------------------------------------------------------------------------
def _rows(layer: Layer) -> list[list]:
    d = layer.direct_equivalent()
    name = layer.name
    if d.dilation != (1, 1):
        raise WorkloadError(f"layer {name}: SCALE-Sim has no dilation (dilation {d.dilation[0]},{d.dilation[1]})")
    if d.stride[0] != d.stride[1]:
        raise WorkloadError(f"layer {name}: SCALE-Sim has one stride for both axes, layer has "
                            f"{d.stride[0]},{d.stride[1]}")
    if "," in name or "\n" in name or '"' in name:
        raise WorkloadError(f"layer {name!r}: SCALE-Sim layer names cannot contain commas, quotes or newlines")
    hp, wp = d.nest.ifmap_h, d.nest.ifmap_w  # the padded input, trimmed to what the windows read
    depthwise = d.G > 1 and d.C == 1
    if "DP" in name and not depthwise:
        raise WorkloadError(f"layer {name}: SCALE-Sim reads names containing 'DP' as depthwise; rename the layer")
    dims = [hp, wp, d.R, d.S]
    if depthwise:
        return [[name if "DP" in name else f"{name}_DP", *dims, d.G, d.M, d.stride[0]]]
    if d.G > 1:
        return [[f"{name}_g{i}of{d.G}", *dims, d.C, d.M, d.stride[0]] for i in range(d.G)]
    return [[name, *dims, d.C, d.M, d.stride[0]]]


def topology_text(network: Network) -> str:
    """The SCALE-Sim topology CSV of ``network``'s mapped layers (see the module doc)."""
    layers = network.mapped_layers
    if not layers:
        raise WorkloadError(f"network {network.name} has no conv/fc layers to export")
    lines = [", ".join(HEADER) + ","]
    for layer in layers:
        lines += [", ".join(str(v) for v in row) + "," for row in _rows(layer)]
    return "\n".join(lines) + "\n"


# ---- import -----------------------------------------------------------------------------------
def _cells(line: str, where: str = "") -> list[str]:
    try:
        cells = [c.strip() for c in next((c for _, c in csv_rows(line)), [])]
    except InputRefused as exc:
        raise WorkloadError(f"{where}: {str(exc).split(': ', 1)[-1]}") from None
    if cells and cells[-1] == "":
        cells = cells[:-1]  # the trailing comma
    return cells


def _ints(cells: list[str], names: list[str], where: str) -> list[int]:
    values = []
    for text, what in zip(cells, names, strict=True):
        try:
            value = parse_int_text(text) if re.fullmatch(r"\d+", text) else None
        except InputRefused as exc:
            raise WorkloadError(f"{where}: {what}: {exc}") from None
        if value is None or value <= 0:
            raise WorkloadError(f"{where}: {what} must be a positive integer, got {text[:40]!r}")
        values.append(value)
    return values


def _ceil_padding(h: int, w: int, r: int, s: int, u: int) -> tuple[int, int, int, int]:
    """Bottom/right padding that turns floor((H - R) / U) + 1 into SCALE-Sim's ceil((H - R + U) / U)."""
    return (0, -(h - r) % u, 0, -(w - s) % u)


def _row_layer(cells: list[str], where: str, batch: int, gemm: bool) -> tuple[str, Layer]:
    header = GEMM_HEADER if gemm else HEADER
    if len(cells) != len(header):
        raise WorkloadError(f"{where}: {len(cells)} fields, expected {len(header)} ({', '.join(header)})")
    name = cells[0]
    if not name:
        raise WorkloadError(f"{where}: empty layer name")
    where = f"{where} (layer {name})"
    try:
        if gemm:
            m, n, k = _ints(cells[1:], header[1:], where)
            if m == 1:
                return name, Layer(name=name, kind="fc", N=batch, M=n, C=k)
            return name, Layer(name=name, kind="conv", N=batch, M=n, C=k, H=m, W=1)
        h, w, r, s, c, m, u = _ints(cells[1:], header[1:], where)
        if r > h or s > w:
            raise WorkloadError(f"{where}: filter {r}x{s} is larger than the IFMAP {h}x{w}")
        if "DP" in name:
            base = name[:-3] if name.endswith("_DP") and len(name) > 3 else name
            return base, Layer(name=base, kind="conv", N=batch, G=c, M=m, C=1, H=h, W=w, R=r, S=s, stride=u,
                               padding=_ceil_padding(h, w, r, s, u))
        kind = "fc" if (r, s) == (h, w) else "conv"
        return name, Layer(name=name, kind=kind, N=batch, M=m, C=c, H=h, W=w, R=r, S=s, stride=u,
                           padding=_ceil_padding(h, w, r, s, u))
    except ShapeError as exc:
        raise WorkloadError(f"{where}: {exc}") from None


def _merge_groups(rows: list[tuple[str, Layer]]) -> list[Layer]:
    """Merge complete runs ``x_g0ofG`` .. ``x_g{G-1}ofG`` of identical rows into one grouped layer."""
    out: list[Layer] = []
    i = 0
    while i < len(rows):
        name, layer = rows[i]
        m = _GROUP_ROW.match(name)
        if m and m["i"] == "0" and int(m["g"]) > 1:
            g = int(m["g"])
            run = rows[i:i + g]
            expected = [f"{m['base']}_g{j}of{g}" for j in range(g)]
            same = all(lay.nest == layer.nest and lay.H == layer.H and lay.W == layer.W for _, lay in run)
            if [n for n, _ in run] == expected and same:
                out.append(replace(layer, name=m["base"], kind="conv", G=g))
                i += g
                continue
        out.append(layer)
        i += 1
    return out


def read_scalesim_text(text: str, path: Path, batch: int = 1) -> Network:
    """A Network from SCALE-Sim topology CSV ``text`` (``path`` names errors and the network)."""
    lines = normalize_newlines(text).split("\n")
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        raise WorkloadError(f"{path}: file is empty")
    header = [c for c in _cells(lines[first], f"{path}: line {first + 1}") if c]
    gemm = _norm(header) == _norm(GEMM_HEADER)
    if not gemm and _norm(header) != _norm(HEADER):
        raise WorkloadError(f"{path}: line {first + 1}: not a SCALE-Sim topology header; expected "
                            f"'{', '.join(HEADER)},'")
    rows = []
    for i in range(first + 1, len(lines)):
        if lines[i].strip():
            rows.append(_row_layer(_cells(lines[i], f"{path}: line {i + 1}"), f"{path}: line {i + 1}", batch, gemm))
    if not rows:
        raise WorkloadError(f"{path}: the topology has a header but no layer rows")
    seen: dict[str, int] = {}
    layers = []
    for layer in _merge_groups(rows):
        unique = unique_name(layer.name, seen)
        layers.append(layer if unique == layer.name else replace(layer, name=unique))
    l0 = layers[0]
    return Network(name=path.stem, layers=tuple(layers), input_shape=(l0.in_channels, l0.H, l0.W), batch=batch,
                   source=f"SCALE-Sim topology {path.name}")


def read_scalesim(path: str | os.PathLike, batch: int = 1) -> Network:
    """A Network from a SCALE-Sim topology CSV file; every layer gets N = ``batch``."""
    path = Path(path)
    try:
        text = read_regular_file(path).decode("utf-8")
    except InputRefused as exc:
        raise WorkloadError(f"{path}: {exc}") from None
    except UnicodeDecodeError:
        raise WorkloadError(f"{path}: not a text file (binary content); expected a SCALE-Sim topology CSV") from None
    return read_scalesim_text(text, path, batch)


