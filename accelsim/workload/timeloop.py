"""Timeloop problem YAML <-> accelsim layers.

One Timeloop problem describes one layer (the CNN-layer problem shape). A network exports as
one file per mapped layer into a folder (``000_conv1.yaml``, ``001_conv2.yaml``, ...; the index
prefix keeps the order) or, when the output path ends in .yaml/.yml, as one multi-document YAML
file (one problem per document). Import accepts a single problem, a multi-document file, or a
folder of problems (read in file-name order).

Axes: Timeloop's CNN-layer shape projects inputs as ``R*Wdilation + P*Wstride`` and
``S*Hdilation + Q*Hstride``, so its R and P run along the width and S and Q along the height.
We follow that projection: Timeloop R = accelsim S, P = F, S = R, Q = E, Wstride = U_w,
Hstride = U_h (square layers look the same either way). M may be written K; G (or Groups)
is the number of groups, with C and M per group (the shape's dimensions list G only when G > 1).
A problem whose shape has no M/K dimension (Timeloop's depthwise "dw-cnn-layer") maps as
G = C, C = 1, M = 1.

Padding: Timeloop has none. Without more information the importer sets the padded input size
H = (Q-1)*Hstride + (S-1)*Hdilation + 1 (same for W with P, R, Wstride, Wdilation) and zero
padding; the loop nest is the same. The exporter writes the instance of the layer's loop nest
(for a transposed conv, its direct stride-1 equivalent) and, under a top-level ``accelsim:`` key
that Timeloop ignores, what Timeloop cannot hold: network and layer name, kind, unpadded H and
W, stride (a transposed conv's own), padding, bias, transposed and output_padding. When that
key is present the importer rebuilds the original layer exactly and checks that it has the
instance's loop nest.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from pathlib import Path

import yaml

from accelsim.errors import ShapeError, UsageError, WorkloadError
from accelsim.iosafe import atomic_write_text
from accelsim.safeinput import InputRefused, load_yaml_all, read_regular_file
from accelsim.workload.layer import Layer
from accelsim.workload.network import Network

_INSTANCE_KEYS = ("G", "Groups", "C", "M", "K", "R", "S", "N", "P", "Q", "Hstride", "Wstride", "Hdilation",
                  "Wdilation")
_PROBLEM_KEYS = ("shape", "instance", "version")
_ACCELSIM_KEYS = ("network", "layer", "index", "kind", "H", "W", "stride", "padding", "bias", "transposed",
                  "output_padding", "input_shape", "source")
# Sections of a combined Timeloop spec that may sit next to `problem` and are not ours to read.
_TIMELOOP_SECTIONS = ("architecture", "arch", "mapper", "mapping", "constraints", "mapspace",
                      "mapspace_constraints", "sparse_optimizations", "variables", "components", "globals",
                      "compound_components", "architecture_constraints", "model", "ert", "art")
_GENERIC_SHAPE_NAMES = re.compile(r"^(dw[-_ ]?|grouped[-_ ]?)?cnn[-_ ]?layer$", re.IGNORECASE)

_SHAPE = """\
  shape:
    name: {shape_name}
    dimensions: [ {g}C, M, R, S, N, P, Q ]
    coefficients:
      - name: Wstride
        default: 1
      - name: Hstride
        default: 1
      - name: Wdilation
        default: 1
      - name: Hdilation
        default: 1
    data-spaces:
      - name: Weights
        projection:
{gproj}          - [ [C] ]
          - [ [M] ]
          - [ [R] ]
          - [ [S] ]
      - name: Inputs
        projection:
          - [ [N] ]
{gproj}          - [ [C] ]
          - [ [R, Wdilation], [P, Wstride] ]  # width:  R*Wdilation + P*Wstride
          - [ [S, Hdilation], [Q, Hstride] ]  # height: S*Hdilation + Q*Hstride
      - name: Outputs
        projection:
          - [ [N] ]
{gproj}          - [ [M] ]
          - [ [Q] ]
          - [ [P] ]
        read-write: True
"""


# ---- export -----------------------------------------------------------------------------------
def problem_text(layer: Layer, network: Network | None = None, index: int = 0) -> str:
    """One Timeloop problem document (YAML text) for a mapped layer."""
    if not layer.is_mapped:
        raise WorkloadError(f"layer {layer.name}: {layer.kind} layers have no Timeloop problem")
    n = layer.nest
    instance = {"C": n.C, "M": n.M, "R": n.S, "S": n.R, "N": n.N, "P": n.F, "Q": n.E,
                "Wstride": n.Uw, "Hstride": n.Uh, "Wdilation": n.Dw, "Hdilation": n.Dh}
    if n.G > 1:
        instance = {"G": n.G, **instance}
    grouped = n.G > 1
    shape = _SHAPE.format(shape_name="grouped-CNN-Layer" if grouped else "CNN-Layer", g="G, " if grouped else "",
                          gproj="          - [ [G] ]\n" if grouped else "")
    extra = {"network": network.name if network else "", "layer": layer.name, "index": index,
             "kind": layer.kind, "H": layer.H, "W": layer.W, "stride": list(layer.stride),
             "padding": list(layer.padding), "bias": layer.bias,
             "transposed": layer.transposed, "output_padding": list(layer.output_padding)}
    if network is not None:
        extra["input_shape"] = list(network.input_shape)
        if network.source:
            extra["source"] = network.source
    body = yaml.safe_dump({"instance": instance}, sort_keys=False, default_flow_style=False)
    head = (f"# Timeloop problem for layer {layer.name}" + (f" of {network.name}" if network else "")
            + " (written by accelsim)\n")
    return (head + "problem:\n" + shape + "".join(f"  {line}\n" for line in body.splitlines())
            + yaml.safe_dump({"accelsim": extra}, sort_keys=False, default_flow_style=None, width=120))


def network_text(network: Network) -> str:
    """All mapped layers as one multi-document YAML text."""
    docs = [problem_text(layer, network, i) for i, layer in enumerate(_mapped(network))]
    return "---\n" + "---\n".join(docs)


def _mapped(network: Network) -> tuple[Layer, ...]:
    layers = network.mapped_layers
    if not layers:
        raise WorkloadError(f"network {network.name} has no conv/fc layers to export")
    return layers


def _file_name(index: int, name: str) -> str:
    return f"{index:03d}_{re.sub(r'[^A-Za-z0-9._-]+', '_', name).strip('._') or 'layer'}.yaml"


def write_timeloop(network: Network, out: str | os.PathLike) -> list[Path]:
    """Write ``network``'s mapped layers: one multi-document file if ``out`` ends in .yaml/.yml,
    else a folder with one problem per layer. Atomic: a failure leaves the old output in place.
    An existing folder is replaced only if it holds nothing but accelsim-written problems."""
    out = Path(out)
    if out.suffix.lower() in (".yaml", ".yml"):
        atomic_write_text(out, network_text(network))
        return [out]
    if out.name in ("", ".", ".."):
        raise UsageError(f"--out {out} names the current or a parent folder; give a new folder for the "
                         f"Timeloop problems (or a .yaml file)")
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file; a Timeloop export writes a folder (or give a .yaml path)")
    if out.is_dir():
        foreign = [p.name for p in out.iterdir() if not _is_accelsim_problem(p)]
        if foreign:
            raise UsageError(f"--out folder {out} holds files accelsim did not write ({foreign[0]}); "
                             f"choose an empty or new folder")
    parent = out.parent if str(out.parent) else Path(".")
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=parent))
    os.chmod(tmp, _folder_mode())  # mkdtemp makes it private (0700); a plain mkdir follows the umask
    try:
        names = []
        for i, layer in enumerate(_mapped(network)):
            (tmp / _file_name(i, layer.name)).write_text(problem_text(layer, network, i), encoding="utf-8")
            names.append(_file_name(i, layer.name))
        _swap_folder(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return [out / name for name in names]


def _folder_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o777 & ~umask


def _is_accelsim_problem(path: Path) -> bool:
    if not path.is_file() or path.suffix.lower() not in (".yaml", ".yml"):
        return False
    try:
        head = path.read_text(encoding="utf-8")[:200]
    except (OSError, UnicodeDecodeError):
        return False
    return "(written by accelsim)" in head


def _swap_folder(tmp: Path, out: Path) -> None:
    if not out.exists():
        os.replace(tmp, out)
        return
    backup = out.with_name(f".{out.name}.old")
    shutil.rmtree(backup, ignore_errors=True)
    os.replace(out, backup)
    try:
        os.replace(tmp, out)
    except BaseException:
        os.replace(backup, out)
        raise
    shutil.rmtree(backup, ignore_errors=True)


# ---- import -----------------------------------------------------------------------------------
def _int(value, where: str, key: str, low: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise WorkloadError(f"{where}: {key} must be an integer >= {low}, got {value!r}")
    return value


def _mapping(value, where: str) -> dict:
    if not isinstance(value, dict):
        raise WorkloadError(f"{where} must be a mapping, got {type(value).__name__}")
    return value


def is_problem(doc) -> bool:
    """True if a parsed YAML document looks like a Timeloop problem."""
    return isinstance(doc, dict) and "problem" in doc


def _instance_layer(inst: dict, shape: dict, where: str, name: str) -> Layer:
    """The zero-padding layer of a Timeloop instance (see the module doc for the axes)."""
    inst = {k: v for k, v in inst.items() if k != "densities"}  # sparse Timeloop: no effect on the loop nest
    for key in inst:
        if key not in _INSTANCE_KEYS:
            raise WorkloadError(f"{where}: problem.instance: unknown key {key!r}; expected "
                                f"{', '.join(_INSTANCE_KEYS)}")
    if "M" in inst and "K" in inst:
        raise WorkloadError(f"{where}: problem.instance has both M and K (they name the same dimension)")
    if "G" in inst and "Groups" in inst:
        raise WorkloadError(f"{where}: problem.instance has both G and Groups")
    dims = shape.get("dimensions") if isinstance(shape, dict) else None
    if dims is not None and not (isinstance(dims, list) and all(isinstance(d, str) for d in dims)):
        raise WorkloadError(f"{where}: problem.shape.dimensions must be a list of dimension names, got {dims!r}"[:300])
    depthwise = "M" not in inst and "K" not in inst and isinstance(dims, list) and not {"M", "K"} & set(dims)
    required = ("C", "R", "S", "P", "Q") + (() if depthwise else ("M",))
    for key in required:
        if key not in inst and not (key == "M" and "K" in inst):
            raise WorkloadError(f"{where}: problem.instance is missing {key}")
    v = {key: _int(val, where, f"problem.instance.{key}") for key, val in inst.items()}
    g, c = v.get("G", v.get("Groups", 1)), v["C"]
    m = v.get("M", v.get("K", 1))
    if depthwise:
        g, c, m = c * g, 1, 1
    uh, uw, dh, dw = v.get("Hstride", 1), v.get("Wstride", 1), v.get("Hdilation", 1), v.get("Wdilation", 1)
    r, s, e, f = v["S"], v["R"], v["Q"], v["P"]
    h, w = (e - 1) * uh + (r - 1) * dh + 1, (f - 1) * uw + (s - 1) * dw + 1
    kind = "fc" if (h, w) == (r, s) else "conv"
    try:
        return Layer(name=name, kind=kind, N=v.get("N", 1), G=g, M=m, C=c, H=h, W=w, R=r, S=s, stride=(uh, uw),
                     dilation=(dh, dw))
    except ShapeError as exc:
        raise WorkloadError(f"{where}: {exc}") from None


def _restore(base: Layer, extra: dict, where: str) -> Layer:
    """The original layer from the ``accelsim:`` block, checked against the instance's nest."""
    for key in extra:
        if key not in _ACCELSIM_KEYS:
            raise WorkloadError(f"{where}: accelsim: unknown key {key!r}; expected {', '.join(_ACCELSIM_KEYS)}")
    fields = {"name": extra.get("layer", base.name), "kind": extra.get("kind", base.kind), "N": base.N,
              "G": base.G, "M": base.M, "C": base.C, "R": base.R, "S": base.S,
              "stride": extra.get("stride", base.stride),
              "dilation": base.dilation, "H": extra.get("H", base.H), "W": extra.get("W", base.W),
              "padding": extra.get("padding", (0, 0, 0, 0)), "bias": extra.get("bias", True),
              "transposed": extra.get("transposed", False), "output_padding": extra.get("output_padding", (0, 0))}
    if not isinstance(fields["name"], str) or not fields["name"]:
        raise WorkloadError(f"{where}: accelsim.layer must be a non-empty string")
    for key in ("bias", "transposed"):
        if not isinstance(fields[key], bool):
            raise WorkloadError(f"{where}: accelsim.{key} must be true or false, got {fields[key]!r}")
    for key in ("padding", "output_padding", "stride"):
        if isinstance(fields[key], list):
            fields[key] = tuple(fields[key])
    try:
        layer = Layer(**fields)
        nest_ok = layer.nest == base.nest
    except (ShapeError, TypeError, ValueError) as exc:
        raise WorkloadError(f"{where}: accelsim block (layer {fields['name']}): {exc}") from None
    if not nest_ok:
        raise WorkloadError(f"{where}: the accelsim block (layer {fields['name']}) disagrees with problem.instance "
                            f"(its loop nest is {tuple(layer.nest)}, the instance gives {tuple(base.nest)}); fix "
                            f"the instance or delete the accelsim block")
    return layer


def _doc_layer(doc, where: str, default_name: str, index: int) -> tuple[Layer, dict]:
    doc = _mapping(doc, where)
    for key in doc:
        if key not in ("problem", "accelsim") and key not in _TIMELOOP_SECTIONS:
            raise WorkloadError(f"{where}: unknown top-level key {key!r}; a Timeloop problem has 'problem' "
                                f"(and accelsim writes 'accelsim')")
    problem = _mapping(doc.get("problem"), f"{where}: problem")
    for key in problem:
        if key not in _PROBLEM_KEYS:
            raise WorkloadError(f"{where}: problem: unknown key {key!r}; expected {', '.join(_PROBLEM_KEYS)}")
    if "instance" not in problem:
        raise WorkloadError(f"{where}: problem has no instance")
    inst = _mapping(problem["instance"], f"{where}: problem.instance")
    shape = problem.get("shape") or {}
    name = default_name
    shape_name = shape.get("name") if isinstance(shape, dict) else None
    if isinstance(shape_name, str) and shape_name.strip() and not _GENERIC_SHAPE_NAMES.match(shape_name.strip()):
        name = shape_name.strip()
    layer = _instance_layer(inst, shape, where, name)
    extra = doc.get("accelsim")
    if extra is None:
        return layer, {}
    extra = _mapping(extra, f"{where}: accelsim")
    return _restore(layer, extra, where), extra


def _parse(path: Path, text: str) -> list:
    try:
        return load_yaml_all(text)
    except InputRefused as exc:
        raise WorkloadError(f"{path}: {exc}") from None


def network_from_docs(docs: list, path: Path, batch: int = 1, stems: list[str] | None = None) -> Network:
    """A Network from parsed Timeloop problem documents (``stems`` name layers without names)."""
    layers, extras = [], []
    for i, doc in enumerate(docs):
        where = f"{path}" if stems is None and len(docs) == 1 else (
            f"{path / stems[i]}" if stems else f"{path}: document {i + 1}")
        default = stems[i].rsplit(".", 1)[0] if stems else (path.stem if len(docs) == 1 else f"layer{i + 1}")
        layer, extra = _doc_layer(doc, where, default, i)
        layers.append(layer)
        extras.append(extra)
    if not layers:
        raise WorkloadError(f"{path}: no Timeloop problems found")
    first = extras[0]
    name = first.get("network") or (path.name if path.is_dir() else path.stem)
    shape = first.get("input_shape")
    if not (isinstance(shape, list) and len(shape) == 3 and all(isinstance(v, int) and v > 0 for v in shape)):
        shape = [layers[0].in_channels, layers[0].H, layers[0].W]
    n = layers[0].N
    try:
        net = Network(name=str(name), layers=tuple(layers), input_shape=tuple(shape), batch=n,
                      source=str(first.get("source") or f"Timeloop problem {path.name}"))
    except ShapeError as exc:
        raise WorkloadError(f"{path}: {exc}") from None
    return net if batch == 1 else net.with_batch(batch)


def read_timeloop(path: str | os.PathLike, batch: int = 1) -> Network:
    """A Network from a Timeloop problem file (one or more documents) or a folder of them.

    N comes from the problems (they must agree); ``batch`` other than 1 overrides it."""
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in (".yaml", ".yml"))
        if not files:
            raise WorkloadError(f"folder {path} holds no .yaml Timeloop problems")
        docs, stems = [], []
        for f in files:
            text = _read_text(f)
            found = _parse(f, text)
            if len(found) != 1 or not is_problem(found[0]):
                raise WorkloadError(f"{f}: expected one Timeloop problem (a mapping with 'problem'), found "
                                    f"{len(found)} document(s)" + ("" if not found or is_problem(found[0]) else
                                                                   " that is not a problem"))
            docs.append(found[0])
            stems.append(f.name)
        return network_from_docs(docs, path, batch, stems)
    docs = _parse(path, _read_text(path))
    for i, doc in enumerate(docs):
        if not is_problem(doc):
            raise WorkloadError(f"{path}: document {i + 1} is not a Timeloop problem (no 'problem' key)")
    return network_from_docs(docs, path, batch)


def _read_text(path: Path) -> str:
    try:
        data = read_regular_file(path)
    except InputRefused as exc:
        raise WorkloadError(f"{path}: {exc}") from None
    if not data.strip():
        raise WorkloadError(f"{path}: file is empty")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise WorkloadError(f"{path}: not a text file (binary content); expected Timeloop problem YAML") from None
