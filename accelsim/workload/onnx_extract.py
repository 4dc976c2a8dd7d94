"""ONNX file -> ``Network``.

    net = from_onnx("resnet18.onnx", batch=None, name=None)

Shapes come from ``onnx.shape_inference`` (a symbolic batch dimension of the graph input is set
to 1 first). Operators that become layers, in graph (topological) order:

- ``Conv`` (group, pads [top, left, bottom, right] -> accelsim's (top, bottom, left, right),
  strides, dilations, auto_pad; 1-D convs as H=1) and ``ConvTranspose`` (output_padding, and
  output_shape / auto_pad turned into padding as the ONNX spec defines) -> conv layers;
- ``Gemm`` (transA/transB; bias when C is given) and ``MatMul`` whose second operand is a static
  2-D tensor (initializer or Constant; bias when its only consumer is an ``Add`` of a static
  vector) -> fc layers, with the flatten -> fc rule of ``_framework`` (looking back through
  Flatten/Reshape/Squeeze and shape-preserving ops);
- ``MaxPool``/``AveragePool``/``GlobalAveragePool``/``GlobalMaxPool`` -> shape-only pool layers.

Names: the node's name, else the stem of its weight initializer ("conv1.weight" -> "conv1"),
else ``<optype>_<index>``. N of every layer is ``batch``, else the model's static batch size,
else 1. Unknown or dynamic shapes at a layer, a MatMul of two activations, and operators with
MACs accelsim cannot map (3-D convs, RNNs, quantized ops) raise ``WorkloadError`` naming the
node; a file that is not ONNX, or is truncated, raises ``WorkloadError`` naming the file.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from accelsim.errors import WorkloadError
from accelsim.safeinput import MAX_ONNX_BYTES, InputRefused, read_regular_file
from accelsim.workload._framework import conv_layer, fc_layer, pool_layer, same_padding, unique_name
from accelsim.workload.network import Network

_UNSUPPORTED = {"QLinearConv", "ConvInteger", "QLinearMatMul", "MatMulInteger", "LSTM", "GRU", "RNN",
                "Einsum", "Attention", "DeformConv"}
_FLATTEN_OPS = {"Flatten", "Reshape", "Squeeze"}


def _import_onnx():
    try:
        import onnx
    except ImportError:
        raise WorkloadError("onnx is not installed; pip install 'accelsim[onnx]'") from None
    return onnx


def _load(onnx, path: Path):
    if not path.exists():
        raise WorkloadError(f"ONNX file {path} does not exist")
    try:
        data = read_regular_file(path, MAX_ONNX_BYTES)
    except InputRefused as exc:
        raise WorkloadError(f"{path}: {exc}") from None
    if not data.strip():
        raise WorkloadError(f"{path}: file is empty")
    try:
        model = onnx.load_model_from_string(data)
    except Exception:  # protobuf DecodeError and friends: junk or a truncated file
        raise WorkloadError(f"{path}: not a valid ONNX model (cannot decode the protobuf; truncated or "
                            f"not ONNX)") from None
    if model.ir_version <= 0 or not model.graph.node:
        raise WorkloadError(f"{path}: not a valid ONNX model (no graph nodes)")
    return model


def _fix_batch_dim(model, initializers: set[str]) -> None:
    """Give a symbolic/unknown batch dimension of each graph input the value 1 so shape inference
    yields concrete shapes (N itself is set separately)."""
    for vi in model.graph.input:
        if vi.name in initializers or not vi.type.HasField("tensor_type"):
            continue
        dims = vi.type.tensor_type.shape.dim
        if dims and not dims[0].dim_value:
            dims[0].dim_value = 1


def _dims(vi) -> tuple | None:
    """Shape of a ValueInfo: ints, None for an unknown dimension; None if the rank is unknown."""
    t = vi.type.tensor_type
    if not t.HasField("shape"):
        return None
    return tuple(d.dim_value if d.HasField("dim_value") and d.dim_value > 0 else None for d in t.shape.dim)


class _Graph:
    """Shapes, static tensors, producers and consumers of an inferred ONNX graph."""

    def __init__(self, onnx, model, where: str):
        self.onnx, self.where = onnx, where
        g = model.graph
        self.static = {t.name: tuple(int(d) for d in t.dims) for t in g.initializer}
        for node in g.node:
            if node.op_type == "Constant":
                for attr in node.attribute:
                    if attr.name == "value":
                        self.static[node.output[0]] = tuple(int(d) for d in attr.t.dims)
        self.shapes: dict[str, tuple | None] = dict(self.static)
        for vi in list(g.input) + list(g.value_info) + list(g.output):
            if vi.name not in self.static:
                self.shapes[vi.name] = _dims(vi)
        self.producer = {out: node for node in g.node for out in node.output}
        self.consumers: dict[str, list] = {}
        for node in g.node:
            for name in node.input:
                self.consumers.setdefault(name, []).append(node)
        self.inputs = [vi for vi in g.input if vi.name not in self.static]

    def shape(self, name: str) -> tuple | None:
        return self.shapes.get(name) if name else None

    def attrs(self, node) -> dict:
        return {a.name: self.onnx.helper.get_attribute_value(a) for a in node.attribute}

    def flattened_from(self, name: str) -> tuple | None:
        """The 4-D shape tensor ``name`` was flattened from (through shape-preserving ops)."""
        for _ in range(64):
            node = self.producer.get(name)
            if node is None or not node.input:
                return None
            src = node.input[0]
            if node.op_type in _FLATTEN_OPS:
                shape = self.shape(src)
                return shape if shape is not None and len(shape) == 4 else None
            if self.shape(name) is None or self.shape(name) != self.shape(src):
                return None
            name = src


def _stem(name: str) -> str:
    for suffix in (".weight", "_weight", "/weight", ".W", "_W", "/W"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def _layer_name(node, index: int) -> str:
    if node.name:
        return node.name
    if node.op_type in ("Conv", "ConvTranspose", "Gemm", "MatMul") and len(node.input) > 1 and node.input[1]:
        return _stem(node.input[1])
    return f"{node.op_type.lower()}_{index}"


def _lift(values, n: int, fill: int) -> list[int]:
    """Per-axis attribute of a 1-D or 2-D op as [h, w]; ``fill`` stands for a missing attribute
    and for the H axis of a 1-D op."""
    vals = list(values) if values else [fill] * n
    return [fill] + vals if n == 1 else vals


def _pads(attrs: dict, n: int, in_hw, kernel, stride, dilation, where: str) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) from ONNX pads [x1_begin, x2_begin, x1_end, x2_end] / auto_pad."""
    auto = attrs.get("auto_pad", b"NOTSET")
    auto = auto.decode() if isinstance(auto, bytes) else str(auto)
    if auto in ("SAME_UPPER", "SAME_LOWER"):
        if any(v is None for v in in_hw):
            raise WorkloadError(f"{where}: auto_pad {auto} needs a known input size")
        (t, b), (l, r) = (same_padding(s, k, u, d, upper=auto == "SAME_UPPER")
                          for s, k, u, d in zip(in_hw, kernel, stride, dilation, strict=True))
        return (t, b, l, r)
    if auto == "VALID":
        return (0, 0, 0, 0)
    p = list(attrs.get("pads", [0] * (2 * n)))
    if n == 1:
        return (0, 0, p[0], p[1])
    if len(p) != 4:
        raise WorkloadError(f"{where}: pads has {len(p)} values, expected 4")
    return (p[0], p[2], p[1], p[3])


def _spatial(shape, n: int):
    """An NC(H)W shape as NCHW (1-D ops get H = 1)."""
    if shape is None:
        return None
    return (shape[0], shape[1], 1, shape[2]) if n == 1 and len(shape) == 3 else shape


_MIN_INPUTS = {"Conv": 2, "ConvTranspose": 2, "Gemm": 2, "MatMul": 2, "MaxPool": 1, "AveragePool": 1,
               "GlobalAveragePool": 1, "GlobalMaxPool": 1}
_INPUT_NAMES = {"Conv": "input and weight", "ConvTranspose": "input and weight", "Gemm": "A and B",
                "MatMul": "A and B"}


def _check_node(node, where: str) -> None:
    """The structure a handler relies on, checked before it runs: the operands it reads exist."""
    need = _MIN_INPUTS[node.op_type]
    if len(node.input) < need or not all(node.input[:need]):
        what = _INPUT_NAMES.get(node.op_type, "an input")
        raise WorkloadError(f"{where}: has {len([i for i in node.input if i])} input(s); {node.op_type} needs "
                            f"{what}")
    if not node.output or not node.output[0]:
        raise WorkloadError(f"{where}: has no output")


def _check_axes(a: dict, n: int, where: str) -> None:
    """Per-axis attributes must give one value per spatial axis (pads: two)."""
    for key, count in (("kernel_shape", n), ("strides", n), ("dilations", n), ("output_padding", n),
                       ("pads", 2 * n)):
        if key in a:
            vals = a[key]
            if not isinstance(vals, (list, tuple)) or len(vals) != count:
                raise WorkloadError(f"{where}: {key} has {len(vals) if isinstance(vals, (list, tuple)) else 1} "
                                    f"value(s), expected {count} for a {n}-D operator")
            if not all(isinstance(v, int) and abs(v) <= 1 << 20 for v in vals):
                raise WorkloadError(f"{where}: {key} {list(vals)[:8]} has values outside accelsim's limits "
                                    f"(|value| <= 1,048,576)")


def _conv(g: _Graph, node, where: str, name: str, batch: int):
    x, w = g.shape(node.input[0]), g.shape(node.input[1])
    if w is None or any(v is None for v in w):
        raise WorkloadError(f"{where}: weight shape is unknown")
    n = len(w) - 2
    if n not in (1, 2):
        raise WorkloadError(f"{where}: {n}-D convolution is not supported (accelsim maps 1-D and 2-D convs)")
    a = g.attrs(node)
    _check_axes(a, n, where)
    kernel = _lift(a.get("kernel_shape", w[2:]), n, 1)
    stride, dilation = _lift(a.get("strides"), n, 1), _lift(a.get("dilations"), n, 1)
    group = int(a.get("group", 1))
    x4, y4 = _spatial(x, n), _spatial(g.shape(node.output[0]), n)
    in_hw = x4[2:] if x4 is not None and len(x4) == 4 else (None, None)
    transposed = node.op_type == "ConvTranspose"
    out_pad = _lift(a.get("output_padding"), n, 0) if transposed else [0, 0]
    if transposed and ("output_shape" in a or a.get("auto_pad", b"NOTSET") in (b"SAME_UPPER", b"SAME_LOWER")):
        if any(v is None for v in in_hw):
            raise WorkloadError(f"{where}: input shape is unknown (dynamic shapes are not supported)")
        upper = a.get("auto_pad") == b"SAME_UPPER"
        if "output_shape" in a:
            outs = _lift(a["output_shape"], n, 1)
        else:
            outs = [s * u for s, u in zip(in_hw, stride, strict=True)]
        pads = []
        for s, k, u, d, o, op in zip(in_hw, kernel, stride, dilation, outs, out_pad, strict=True):
            total = u * (s - 1) + op + (k - 1) * d + 1 - o
            pads += [total // 2, total - total // 2] if upper else [total - total // 2, total // 2]
        padding = tuple(pads)
    else:
        padding = _pads(a, n, in_hw, kernel, stride, dilation, where)
    out_channels = w[1] * group if transposed else w[0]
    bias = len(node.input) > 2 and bool(node.input[2])
    return conv_layer(where, name, batch, x4, y4, kernel=tuple(kernel), out_channels=out_channels,
                      groups=group, stride=tuple(stride), padding=padding, dilation=tuple(dilation),
                      bias=bias, transposed=transposed, output_padding=tuple(out_pad))


def _fc(g: _Graph, node, where: str, name: str, batch: int):
    a_name, b_name = node.input[0], node.input[1]
    if node.op_type == "MatMul" and b_name not in g.static:
        if a_name in g.static:
            raise WorkloadError(f"{where}: MatMul with the weight as the first operand is not supported")
        raise WorkloadError(f"{where}: MatMul of two activations (e.g. attention) is not supported; "
                            f"only a MatMul with a static 2-D weight maps")
    w = g.shape(b_name)
    if w is None or len(w) != 2 or any(v is None for v in w):
        raise WorkloadError(f"{where}: weight {b_name!r} has shape {list(w) if w else 'unknown'}, expected a "
                            f"static 2-D tensor")
    x = g.shape(a_name)
    if node.op_type == "Gemm":
        a = g.attrs(node)
        out_features = w[0] if a.get("transB", 0) else w[1]
        if a.get("transA", 0) and x is not None and len(x) == 2:
            x = (x[1], x[0])
        bias = len(node.input) > 2 and bool(node.input[2])
    else:
        out_features = w[1]
        users = g.consumers.get(node.output[0], [])
        bias = (len(users) == 1 and users[0].op_type == "Add"
                and any(i in g.static and g.static[i][-1:] == (w[1],) and len(g.static[i]) <= 2
                        for i in users[0].input if i != node.output[0]))
    return fc_layer(where, name, batch, x, out_features, bias, g.flattened_from(a_name))


def _pool(g: _Graph, node, where: str, name: str, batch: int):
    x, y = g.shape(node.input[0]), g.shape(node.output[0])
    if x is not None and len(x) != 4:
        return None  # 1-D/3-D pooling (e.g. inside PyTorch's LocalResponseNorm export) is no 2-D pool layer
    if x is None or y is None or None in x or None in y:
        raise WorkloadError(f"{where}: input/output shapes {list(x) if x else 'unknown'} -> "
                            f"{list(y) if y else 'unknown'} are not known (dynamic shapes are not supported)")
    op = "max" if "Max" in node.op_type else "avg"
    if node.op_type.startswith("Global"):
        return pool_layer(where, name, batch, x, y, kernel=(x[2], x[3]), stride=(1, 1), padding=(0, 0, 0, 0),
                          op=op)
    a = g.attrs(node)
    _check_axes(a, 2, where)
    kernel = list(a.get("kernel_shape", [1, 1]))
    stride, dilation = list(a.get("strides", [1, 1])), list(a.get("dilations", [1, 1]))
    padding = _pads(a, 2, x[2:], kernel, stride, dilation, where)
    return pool_layer(where, name, batch, x, y, kernel=tuple(kernel), stride=tuple(stride), padding=padding,
                      dilation=tuple(dilation), op=op)


_HANDLERS = {"Conv": _conv, "ConvTranspose": _conv, "Gemm": _fc, "MatMul": _fc, "MaxPool": _pool,
             "AveragePool": _pool, "GlobalAveragePool": _pool, "GlobalMaxPool": _pool}


def from_onnx(path, batch: int | None = None, name: str | None = None) -> Network:
    """Read the conv/fc/pool layers of the ONNX model at ``path`` (see the module doc)."""
    onnx = _import_onnx()
    path = Path(path)
    if batch is not None and (isinstance(batch, bool) or not isinstance(batch, int) or batch <= 0):
        raise WorkloadError(f"batch must be a positive integer, got {batch!r}")
    model = _load(onnx, path)
    initializers = {t.name for t in model.graph.initializer}
    inputs = [vi for vi in model.graph.input if vi.name not in initializers]
    model_batch = (_dims(inputs[0]) or (None,))[0] if inputs else None
    _fix_batch_dim(model, initializers)
    try:
        model = onnx.shape_inference.infer_shapes(model, data_prop=True)
    except Exception as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise WorkloadError(f"{path}: ONNX shape inference failed: {first}") from None
    g = _Graph(onnx, model, str(path))
    n = batch or model_batch or 1
    layers, seen = [], {}
    for index, node in enumerate(model.graph.node):
        if node.op_type in _UNSUPPORTED:
            raise WorkloadError(f"{path}: node {node.name or index} ({node.op_type}) is not supported: accelsim "
                                f"maps Conv, ConvTranspose, Gemm, MatMul and pooling")
        handler = _HANDLERS.get(node.op_type)
        if handler is None:
            continue
        label = _layer_name(node, index)
        where = f"{path}: node {label} ({node.op_type})"
        _check_node(node, where)
        layer = handler(g, node, where, label, n)
        if layer is not None:
            unique = unique_name(label, seen)
            layers.append(layer if unique == label else replace(layer, name=unique))
    if not any(layer.is_mapped for layer in layers):
        raise WorkloadError(f"{path}: no Conv, ConvTranspose, Gemm or MatMul nodes found")
    first = g.shape(inputs[0].name) if inputs else None
    if first is not None and len(first) in (2, 3, 4) and all(v is not None for v in first[1:]):
        input_shape = tuple(first[1:]) + (1,) * (4 - len(first))
        if len(first) == 3:
            input_shape = (first[1], 1, first[2])
    else:
        l0 = next(layer for layer in layers if layer.is_mapped)
        input_shape = (l0.in_channels, l0.H, l0.W)
    producer = f"{model.producer_name} {model.producer_version}".strip()
    return Network(name=name or path.stem, layers=tuple(layers), input_shape=input_shape, batch=n,
                   source=f"ONNX {path.name}" + (f" (exported by {producer})" if producer else ""))
