"""A user's own layer table (CSV, YAML, or the JSON of ``accelsim layers --format json``).

CSV: the columns of ``accelsim layers NETWORK --format csv`` (network, layer, type, N, G, M, C,
H, W, R, S, E, F, stride, pad, dilation, params, macs), one row per layer, so

    accelsim layers alexnet --format csv > a.csv && accelsim layers a.csv

reproduces the table. Required columns: layer, M, C, H, W, R, S. Optional, with defaults:
network (the file name), type (conv), N (1), G (1), stride (1), pad (0), dilation (1). Checked
against the derived values when present, with an error naming the line: E, F, params, macs and
type. Also optional: bias (true/false), output_padding, pool_op, and the densities
``ifmap_density``, ``weight_density``, ``ofmap_density`` (nonzero fractions in [0, 1], conv/fc
rows; see accelsim.sparsity). Axis columns accept '4',
'2,1' (h,w) and, for pad, 'ph,pw' or 't,b,l,r'.

Inferred when not given: ``bias`` from params (params = weights + G*M means a bias; default
true), a transposed conv's ``output_padding`` from E and F (default 0). Pool/add/concat/act/norm
rows (``accelsim layers --all``) are shape-only layers; their E and F are taken as given.

All rows share one N; a ``batch`` argument other than 1 overrides it (as ``--batch`` does).

YAML: a mapping ``name``, ``input_shape`` [C, H, W] (optional; default: the first layer's
input), ``source``, ``notes``, ``batch`` (optional) and ``layers``: a list of mappings with
``name`` and the same keys as the CSV columns (``padding`` may stand for ``pad``; axis values may
also be lists). ``table_yaml`` writes every field, so YAML round-trips a Network exactly.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from accelsim.errors import ShapeError, WorkloadError
from accelsim.safeinput import InputRefused, csv_rows, load_json, parse_int_text
from accelsim.sparsity.density import Density, check_value
from accelsim.workload.layer import Layer
from accelsim.workload.network import LAYER_COLUMNS, Network

_TYPES = {"conv": "conv", "dwconv": "conv", "gconv": "conv", "tconv": "conv", "fc": "fc", "pool": "pool",
          "add": "add", "concat": "concat", "act": "act", "norm": "norm"}
_EXTRA_COLUMNS = ["bias", "output_padding", "pool_op", "ifmap_density", "weight_density", "ofmap_density"]
_DENSITY_COLUMNS = {"ifmap_density": "ifmap", "weight_density": "weights", "ofmap_density": "ofmap"}
_REQUIRED = ["layer", "M", "C", "H", "W", "R", "S"]
_YAML_TOP = ("name", "input_shape", "source", "notes", "batch", "layers")
_YAML_LAYER = ["name", "type", "N", "G", "M", "C", "H", "W", "R", "S", "E", "F", "stride", "pad", "padding",
               "dilation", "params", "macs", "bias", "output_padding", "pool_op", "ifmap_density", "weight_density",
               "ofmap_density"]


# ---- cell parsing -----------------------------------------------------------------------------
def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _int(value, where: str, key: str, low: int = 1) -> int:
    if isinstance(value, str):
        try:
            parsed = parse_int_text(value)
        except InputRefused as exc:
            raise WorkloadError(f"{where}: {key}: {exc}") from None
        value = value if parsed is None else parsed
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise WorkloadError(f"{where}: {key} must be an integer >= {low}, got {value!r}")
    return value


def _axis(value, where: str, key: str, counts: tuple[int, ...], low: int) -> tuple[int, ...]:
    """'4' / 4 / '2,1' / [2, 1] / 't,b,l,r' -> a tuple of ints."""
    if isinstance(value, (list, tuple)):
        parts = list(value)
    elif isinstance(value, int) and not isinstance(value, bool):
        parts = [value]
    else:
        parts = [p for p in str(value).replace(";", ",").split(",")]
    try:
        vals = tuple(_int(p, where, key, low) for p in parts)
    except WorkloadError:
        raise WorkloadError(f"{where}: {key} must be {' or '.join(_forms(counts))} with integers >= {low}, "
                            f"got {value!r}") from None
    if len(vals) not in counts:
        raise WorkloadError(f"{where}: {key} must be {' or '.join(_forms(counts))} with integers >= {low}, "
                            f"got {value!r}")
    return vals


def _two(vals: tuple[int, ...]) -> tuple[int, int]:
    return (vals[0], vals[0]) if len(vals) == 1 else (vals[0], vals[1])


def _forms(counts) -> list[str]:
    return [{1: "'n'", 2: "'h,w'", 4: "'t,b,l,r'"}[n] for n in counts]


def _bool(value, where: str, key: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "yes", "1"):
        return True
    if text in ("false", "no", "0"):
        return False
    raise WorkloadError(f"{where}: {key} must be true or false, got {value!r}")


# ---- one row -> one Layer ---------------------------------------------------------------------
def row_layer(row: dict, where: str, name_key: str = "layer") -> Layer:
    """A Layer from one table row (CSV strings or YAML/JSON values), checked as the module doc says."""
    for key in _REQUIRED:
        k = name_key if key == "layer" else key
        if _blank(row.get(k)):
            raise WorkloadError(f"{where}: {k} is missing")
    name = str(row[name_key]).strip()
    where = f"{where} (layer {name})"
    typ = "conv" if _blank(row.get("type")) else str(row["type"]).strip().lower()
    if typ not in _TYPES:
        raise WorkloadError(f"{where}: unknown type {row['type']!r}; expected one of {', '.join(_TYPES)}")
    kind = _TYPES[typ]
    dims = {k: _int(row[k], where, k) if not _blank(row.get(k)) else 1
            for k in ("N", "G", "M", "C", "H", "W", "R", "S")}
    opt = {k: row.get(k) for k in ("stride", "pad", "dilation", "E", "F", "params", "macs", "bias", "output_padding",
                                   "pool_op")}
    stride = _axis(opt["stride"], where, "stride", (1, 2), 1) if not _blank(opt["stride"]) else (1,)
    pad = _axis(opt["pad"], where, "pad", (1, 2, 4), 0) if not _blank(opt["pad"]) else (0,)
    dilation = _axis(opt["dilation"], where, "dilation", (1, 2), 1) if not _blank(opt["dilation"]) else (1,)
    given = {k: _int(opt[k], where, k, 0) for k in ("E", "F", "params", "macs") if not _blank(opt[k])}
    fields = dict(name=name, kind=kind, **dims, stride=_two(stride), padding=pad * 4 if len(pad) == 1 else pad,
                  dilation=_two(dilation), transposed=typ == "tconv")
    if not _blank(opt["pool_op"]):
        fields["pool_op"] = str(opt["pool_op"]).strip()
    if not _blank(opt["output_padding"]):
        fields["output_padding"] = _two(_axis(opt["output_padding"], where, "output_padding", (1, 2), 0))
    if not _blank(opt["bias"]):
        fields["bias"] = _bool(opt["bias"], where, "bias")
    elif kind in ("conv", "fc") and "params" in given:
        weights = dims["G"] * dims["M"] * dims["C"] * dims["R"] * dims["S"]
        if given["params"] not in (weights, weights + dims["G"] * dims["M"]):
            raise WorkloadError(f"{where}: params is {given['params']}, but the shape gives {weights} weights "
                                f"({weights + dims['G'] * dims['M']} with bias)")
        fields["bias"] = given["params"] != weights
    densities = {key: check_value(key, row[col], f"{where}: {col}") for col, key in _DENSITY_COLUMNS.items()
                 if not _blank(row.get(col))}
    if densities:
        if kind not in ("conv", "fc"):
            raise WorkloadError(f"{where}: densities apply to conv and fc layers, not {typ}")
        fields["density"] = Density(**densities)
    if kind not in ("conv", "fc"):
        layer = _shape_only(fields, given, where)
    else:
        layer = _build(fields, where)
        if layer.transposed and "output_padding" not in fields and ("E" in given or "F" in given):
            extra = (given.get("E", layer.E) - layer.E, given.get("F", layer.F) - layer.F)
            if min(extra) >= 0 and extra != (0, 0):
                layer = _build({**fields, "output_padding": extra}, where)
    _check(layer, typ, given, where)
    return layer


def _build(fields: dict, where: str) -> Layer:
    try:
        return Layer(**fields)
    except ShapeError as exc:
        msg = str(exc)
        prefix = f"layer {fields['name']}: "
        raise WorkloadError(f"{where}: {msg[len(prefix):] if msg.startswith(prefix) else msg}") from None


def _shape_only(fields: dict, given: dict, where: str) -> Layer:
    """Pool/add/concat/act/norm rows: E and F as given. Pools always carry them (as the builder's
    do); the others only when they differ from the pass-through size."""
    if "E" not in given and "F" not in given:
        return _build(fields, where)
    try:
        derived = Layer(**fields)
        e, f = given.get("E", derived.E), given.get("F", derived.F)
        same = (e, f) == (derived.E, derived.F)
    except ShapeError:
        e, f, same = given.get("E", 1), given.get("F", 1), False
    if fields["kind"] != "pool" and same:
        return derived
    return _build({**fields, "E_given": e, "F_given": f}, where)


def _check(layer: Layer, typ: str, given: dict, where: str) -> None:
    if layer.type != typ:
        raise WorkloadError(f"{where}: type is {typ}, but G={layer.G}, C={layer.C} make it a {layer.type}")
    derived = {"E": layer.E, "F": layer.F, "params": layer.params, "macs": layer.macs}
    for key, value in given.items():
        if value != derived[key]:
            hint = " (check H, W, R, S, stride, pad, dilation)" if key in ("E", "F") else ""
            raise WorkloadError(f"{where}: {key} is {value}, but the shape gives {derived[key]}{hint}")


# ---- tables -> Network ------------------------------------------------------------------------
def _network(rows: list[tuple[str, Layer]], path: Path, name: str, batch: int, input_shape=None, source: str = "",
             notes: str = "") -> Network:
    if not rows:
        raise WorkloadError(f"{path}: the table has no layer rows")
    n0 = rows[0][1].N
    seen: set[str] = set()
    for where, layer in rows:
        if layer.N != n0:
            raise WorkloadError(f"{where}: N is {layer.N}, but the first row has N={n0} (one batch per table)")
        if layer.name in seen:
            raise WorkloadError(f"{where}: duplicate layer name {layer.name!r}")
        seen.add(layer.name)
    l0 = rows[0][1]
    shape = tuple(input_shape) if input_shape is not None else (l0.in_channels, l0.H, l0.W)
    net = Network(name=name, layers=tuple(layer for _, layer in rows), input_shape=shape, batch=n0,
                  source=source or f"layer table {path.name}", notes=notes)
    return net if batch == 1 else net.with_batch(batch)


def read_table_csv_text(text: str, path: Path, batch: int = 1) -> Network:
    """A Network from layer-table CSV ``text`` (``path`` names errors and the default network name)."""
    header = None
    rows: list[tuple[str, Layer]] = []
    networks: set[str] = set()
    for line, cells in _csv_rows(text, path):
        if not any(c.strip() for c in cells):
            continue
        if header is None:
            header = [c.strip() for c in cells]
            _check_header(header, path, line)
            continue
        where = f"{path}: line {line}"
        if len(cells) != len(header):
            raise WorkloadError(f"{where}: {len(cells)} fields, but the header has {len(header)}")
        row = dict(zip(header, cells, strict=True))
        net_name = (row.get("network") or "").strip()
        if net_name:
            networks.add(net_name)
            if len(networks) > 1:
                raise WorkloadError(f"{where}: network is {net_name!r}, but earlier rows say "
                                    f"{sorted(networks - {net_name})[0]!r} (one network per table)")
        rows.append((where, row_layer(row, where)))
    if header is None:
        raise WorkloadError(f"{path}: file is empty")
    return _network(rows, path, networks.pop() if networks else path.stem, batch)


def _csv_rows(text: str, path: Path):
    try:
        yield from csv_rows(text)
    except InputRefused as exc:
        raise WorkloadError(f"{path}: {exc}") from None


def _check_header(header: list[str], path: Path, line: int) -> None:
    known = LAYER_COLUMNS + _EXTRA_COLUMNS
    for col in header:
        if col not in known:
            raise WorkloadError(f"{path}: line {line}: unknown column {col!r}; expected columns "
                                f"{', '.join(LAYER_COLUMNS)} (optional: {', '.join(_EXTRA_COLUMNS)})")
    dup = next((c for c in header if header.count(c) > 1), None)
    if dup:
        raise WorkloadError(f"{path}: line {line}: column {dup!r} appears twice")
    missing = [c for c in _REQUIRED if c not in header]
    if missing:
        raise WorkloadError(f"{path}: line {line}: missing column{'s' if len(missing) > 1 else ''} "
                            f"{', '.join(missing)}")


def read_table_yaml_doc(doc, path: Path, batch: int = 1) -> Network:
    """A Network from a parsed YAML layer table (see the module doc)."""
    if not isinstance(doc, dict):
        raise WorkloadError(f"{path}: a layer table must be a mapping with 'layers', got {type(doc).__name__}")
    for key in doc:
        if key not in _YAML_TOP:
            raise WorkloadError(f"{path}: unknown key {key!r}; expected {', '.join(_YAML_TOP)}")
    layers = doc.get("layers")
    if not isinstance(layers, list) or not layers:
        raise WorkloadError(f"{path}: layers must be a non-empty list of layer mappings")
    top_n = _int(doc["batch"], f"{path}", "batch") if "batch" in doc else None
    input_shape = doc.get("input_shape")
    if input_shape is not None:
        if not isinstance(input_shape, list) or len(input_shape) != 3:
            raise WorkloadError(f"{path}: input_shape must be [C, H, W], got {input_shape!r}")
        input_shape = tuple(_int(v, f"{path}", "input_shape") for v in input_shape)
    rows = []
    for i, item in enumerate(layers):
        where = f"{path}: layers[{i}]"
        if not isinstance(item, dict):
            raise WorkloadError(f"{where} must be a mapping, got {type(item).__name__}")
        for key in item:
            if key not in _YAML_LAYER:
                raise WorkloadError(f"{where}: unknown key {key!r}; expected {', '.join(_YAML_LAYER)}")
        if "pad" in item and "padding" in item:
            raise WorkloadError(f"{where}: give pad or padding, not both")
        row = {("pad" if k == "padding" else k): v for k, v in item.items()}
        if top_n is not None and _blank(row.get("N")):
            row["N"] = top_n
        rows.append((where, row_layer(row, where, name_key="name")))
    name = doc.get("name") or path.stem
    return _network(rows, path, str(name), batch, input_shape, str(doc.get("source") or ""),
                    str(doc.get("notes") or ""))


def read_table_json_text(text: str, path: Path, batch: int = 1) -> Network:
    """A Network from the JSON of ``accelsim layers --format json`` ({"meta": ..., "rows": [...]})."""
    try:
        doc = load_json(text)
    except InputRefused as exc:
        raise WorkloadError(f"{path}: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("rows"), list):
        raise WorkloadError(f"{path}: expected the JSON of `accelsim layers --format json` "
                            f"(an object with a 'rows' list)")
    meta = doc.get("meta") or {}
    if not isinstance(meta, dict):
        raise WorkloadError(f"{path}: meta must be an object, got {type(meta).__name__}")
    rows = []
    for i, row in enumerate(doc["rows"]):
        where = f"{path}: rows[{i}]"
        if not isinstance(row, dict):
            raise WorkloadError(f"{where} must be an object")
        unknown = [k for k in row if k not in LAYER_COLUMNS + _EXTRA_COLUMNS]
        if unknown:
            raise WorkloadError(f"{where}: unknown column {unknown[0]!r}")
        rows.append((where, row_layer(row, where)))
    net = _network(rows, path, str(meta.get("network") or path.stem), batch, source=str(meta.get("source") or ""),
                   notes=str(meta.get("notes") or ""))
    for key in ("macs", "params"):
        if isinstance(meta.get(key), int) and batch == 1 and getattr(net, key) != meta[key]:
            raise WorkloadError(f"{path}: meta.{key} is {meta[key]}, but the rows add up to {getattr(net, key)}")
    return net


# ---- Network -> tables ------------------------------------------------------------------------
def table_csv(network: Network) -> str:
    """Every layer (shape-only ones too) as the ``accelsim layers --all --format csv`` table."""
    return network.to_frame(all_layers=True).to_csv(index=False, lineterminator="\n")


def _axis_value(values: tuple[int, ...]):
    return values[0] if len(set(values)) == 1 else list(values)


def table_yaml(network: Network) -> str:
    """The YAML layer table of ``network`` with every field (round-trips exactly)."""
    layers = []
    for layer in network.layers:
        item = {"name": layer.name, "type": layer.type, "N": layer.N, "G": layer.G, "M": layer.M, "C": layer.C,
                "H": layer.H, "W": layer.W, "R": layer.R, "S": layer.S, "stride": _axis_value(layer.stride),
                "pad": _axis_value(layer.padding), "dilation": _axis_value(layer.dilation), "E": layer.E,
                "F": layer.F, "params": layer.params, "macs": layer.macs}
        if layer.is_mapped:
            item["bias"] = layer.bias
        if layer.transposed:
            item["output_padding"] = _axis_value(layer.output_padding)
        if layer.pool_op:
            item["pool_op"] = layer.pool_op
        if layer.density is not None:
            item.update({col: getattr(layer.density, key) for col, key in _DENSITY_COLUMNS.items()})
        layers.append(item)
    doc = {"name": network.name, "input_shape": list(network.input_shape), "batch": network.batch,
           "source": network.source}
    if network.notes:
        doc["notes"] = network.notes
    head = yaml.safe_dump(doc, sort_keys=False, default_flow_style=None, width=120, allow_unicode=True)
    body = yaml.safe_dump({"layers": layers}, sort_keys=False, default_flow_style=None, width=400)
    return f"# accelsim layer table of {network.name} ({len(network.mapped_layers)} mapped layers)\n" + head + body
