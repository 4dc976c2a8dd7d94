"""PyTorch ``nn.Module`` -> ``Network``.

    net = from_torch(model, input_shape=(3, 224, 224), name="resnet18", batch=1)

How: the model runs once (eval mode, no grad, a zero input of batch 1) under ``torch.fx``
symbolic tracing plus shape propagation, which gives every operator in execution order with its
input and output shapes and the data flow between them. Models fx cannot trace (Python control
flow on tensor values or shapes) fall back to forward hooks on the modules (``trace="hooks"``
forces this; ``trace="fx"`` forbids the fallback).

What becomes a layer (named by the module's qualified name, e.g. ``layer2.0.downsample.0``; a
module called twice gets ``name@2``):

- ``Conv2d`` (groups, dilation, int/tuple padding and the string modes 'same'/'valid'; a
  ``padding_mode`` other than zeros pads all the same), ``Conv1d`` (as H=1), ``ConvTranspose2d``
  (``output_padding``, and the ``output_size`` forward argument) -> conv layers;
- ``Linear`` -> fc (see the flatten -> fc rule in ``_framework``: fed by flatten/view/reshape of
  an N x C x H x W tensor it maps with R=H, S=W); bias follows the module;
- ``MaxPool2d``/``AvgPool2d`` (ceil_mode), ``AdaptiveAvgPool2d``/``AdaptiveMaxPool2d`` ->
  shape-only pool layers with the traced output size.

Under fx, the functional forms (``F.conv2d``, ``F.conv_transpose2d``, ``F.linear`` with a module
parameter as weight, ``F.max_pool2d``, ``F.avg_pool2d``, ``F.adaptive_*_pool2d``) are layers too,
named by the fx node. Under the hooks fallback only modules are seen, and the flatten -> fc rule
applies when the Linear's input is a view of a 4-D tensor. Modules whose MACs accelsim cannot
map (3-D convs, RNNs, attention, bilinear) raise ``WorkloadError`` naming the module rather than
being left out of the totals.
"""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass, field

from accelsim.errors import WorkloadError
from accelsim.workload._framework import adaptive_window, conv_layer, fc_layer, pool_layer, unique_name
from accelsim.workload.network import Network

TRACE_MODES = ("auto", "fx", "hooks")


def _import_torch():
    try:
        import torch
        import torch.fx  # noqa: F401
    except ImportError:
        raise WorkloadError("PyTorch is not installed; pip install 'accelsim[torch]'") from None
    return torch


@dataclass
class _Op:
    """One traced operator: what it is, its attributes, and its NCHW (or N..K) shapes."""

    name: str
    op: str  # conv | tconv | linear | maxpool | avgpool | adaptive
    attrs: dict
    in_shape: tuple
    out_shape: tuple
    flattened_from: tuple | None = field(default=None)


def _pair(v) -> tuple[int, int]:
    return (int(v), int(v)) if isinstance(v, int) else (int(v[0]), int(v[-1]))


def _conv_padding(padding, kernel, dilation) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) of a PyTorch conv padding (int, pair or 'same'/'valid')."""
    if padding == "valid":
        return (0, 0, 0, 0)
    if padding == "same":
        pads = []
        for k, d in zip(kernel, dilation, strict=True):
            total = d * (k - 1)
            pads += [total // 2, total - total // 2]
        return tuple(pads)
    ph, pw = _pair(padding)
    return (ph, ph, pw, pw)


def _as4d(shape: tuple) -> tuple:
    """(N, C, L) of a 1-D op as (N, C, 1, L); other shapes unchanged."""
    return (shape[0], shape[1], 1, shape[2]) if shape is not None and len(shape) == 3 else shape


# ---- operator descriptions from modules and functional calls ---------------------------------
def _module_op(torch, qname: str, mod, in_shape, out_shape, flattened_from=None) -> _Op | None:
    nn = torch.nn
    if isinstance(mod, (nn.Conv3d, nn.ConvTranspose1d, nn.ConvTranspose3d, nn.RNNBase, nn.MultiheadAttention,
                        nn.Bilinear)):
        raise WorkloadError(f"module {qname} ({type(mod).__name__}) is not supported: accelsim maps 2-D "
                            f"convolutions and fully connected layers")
    if isinstance(mod, (nn.Conv1d, nn.Conv2d, nn.ConvTranspose2d)):
        one_d = isinstance(mod, nn.Conv1d)
        lift = (lambda t: (1, int(t[0]))) if one_d else _pair
        kernel, stride, dilation = lift(mod.kernel_size), lift(mod.stride), lift(mod.dilation)
        if isinstance(mod.padding, str):
            padding = _conv_padding(mod.padding, kernel, dilation)
        else:
            p = (0, int(mod.padding[0])) if one_d else _pair(mod.padding)
            padding = (p[0], p[0], p[1], p[1])
        attrs = dict(kernel=kernel, out_channels=mod.out_channels, groups=mod.groups, stride=stride,
                     padding=padding, dilation=dilation, bias=mod.bias is not None)
        if isinstance(mod, nn.ConvTranspose2d):
            attrs["output_padding"] = _pair(mod.output_padding)
        op = "tconv" if isinstance(mod, nn.ConvTranspose2d) else "conv"
        return _Op(qname, op, attrs, _as4d(in_shape), _as4d(out_shape))
    if isinstance(mod, nn.Linear):
        return _Op(qname, "linear", dict(out_features=mod.out_features, bias=mod.bias is not None),
                   in_shape, out_shape, flattened_from)
    if isinstance(mod, (nn.MaxPool2d, nn.AvgPool2d)):
        kernel = _pair(mod.kernel_size)
        stride = _pair(mod.stride if mod.stride is not None else mod.kernel_size)
        p = _pair(mod.padding)
        attrs = dict(kernel=kernel, stride=stride, padding=(p[0], p[0], p[1], p[1]))
        if isinstance(mod, nn.MaxPool2d):
            attrs["dilation"] = _pair(mod.dilation)
        return _Op(qname, "maxpool" if isinstance(mod, nn.MaxPool2d) else "avgpool", attrs, in_shape, out_shape)
    if isinstance(mod, (nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d)):
        op = "avg" if isinstance(mod, nn.AdaptiveAvgPool2d) else "max"
        return _Op(qname, "adaptive", dict(op=op), in_shape, out_shape)
    return None


_FUNCTIONAL_PARAMS = {
    "conv2d": ("input", "weight", "bias", "stride", "padding", "dilation", "groups"),
    "conv_transpose2d": ("input", "weight", "bias", "stride", "padding", "output_padding", "groups", "dilation"),
    "linear": ("input", "weight", "bias"),
    "max_pool2d": ("input", "kernel_size", "stride", "padding", "dilation", "ceil_mode"),
    "avg_pool2d": ("input", "kernel_size", "stride", "padding", "ceil_mode"),
    "adaptive_avg_pool2d": ("input", "output_size"),
    "adaptive_max_pool2d": ("input", "output_size"),
}
_FUNCTIONAL_DEFAULTS = {"bias": None, "stride": 1, "padding": 0, "dilation": 1, "groups": 1, "output_padding": 0}


def _functional_name(torch, target) -> str | None:
    F = torch.nn.functional
    for key in _FUNCTIONAL_PARAMS:
        if target is getattr(F, key, None) or target is getattr(torch, key, None):
            return key
    return None


def _functional_op(torch, node, meta) -> _Op | None:
    kind = _functional_name(torch, node.target)
    if kind is None:
        return None
    names = _FUNCTIONAL_PARAMS[kind]
    args = {**_FUNCTIONAL_DEFAULTS, **dict(zip(names, node.args, strict=False)), **node.kwargs}
    in_shape, out_shape = meta(args["input"]), meta(node)
    if kind in ("conv2d", "conv_transpose2d", "linear"):
        w = meta(args["weight"])
        if w is None:
            raise WorkloadError(f"node {node.name} ({kind}): weight shape is unknown")
        if kind == "linear":
            return _Op(node.name, "linear", dict(out_features=w[0], bias=args["bias"] is not None),
                       in_shape, out_shape, _flattened_from(torch, args["input"], meta))
        kernel, stride, dilation = _pair(w[2:]), _pair(args["stride"]), _pair(args["dilation"])
        padding = _conv_padding(args["padding"], kernel, dilation)
        groups = int(args["groups"])
        attrs = dict(kernel=kernel, groups=groups, stride=stride, padding=padding, dilation=dilation,
                     bias=args["bias"] is not None)
        if kind == "conv_transpose2d":
            attrs.update(out_channels=w[1] * groups, output_padding=_pair(args["output_padding"]))
            return _Op(node.name, "tconv", attrs, in_shape, out_shape)
        attrs["out_channels"] = w[0]
        return _Op(node.name, "conv", attrs, in_shape, out_shape)
    if kind.startswith("adaptive"):
        return _Op(node.name, "adaptive", dict(op="avg" if "avg" in kind else "max"), in_shape, out_shape)
    kernel = _pair(args["kernel_size"])
    stride = _pair(args["stride"] if args["stride"] not in (None, [], ()) else args["kernel_size"])
    p = _pair(args["padding"])
    attrs = dict(kernel=kernel, stride=stride, padding=(p[0], p[0], p[1], p[1]))
    if kind == "max_pool2d":
        attrs["dilation"] = _pair(args["dilation"])
    return _Op(node.name, "maxpool" if kind == "max_pool2d" else "avgpool", attrs, in_shape, out_shape)


# ---- tracing ----------------------------------------------------------------------------------
def _is_flatten(torch, node, modules) -> bool:
    if node.op == "call_function":
        return node.target in (torch.flatten, torch.reshape)
    if node.op == "call_method":
        return node.target in ("flatten", "view", "reshape")
    if node.op == "call_module":
        return isinstance(modules.get(node.target), torch.nn.Flatten)
    return False


def _flattened_from(torch, node, meta, modules=None) -> tuple | None:
    """The 4-D shape ``node`` was flattened from, looking back through shape-preserving ops
    (dropout, activations, batch norm); None when it was not a flatten of a 4-D tensor."""
    fx = torch.fx
    modules = modules or {}
    for _ in range(64):
        if not isinstance(node, fx.Node):
            return None
        src = node.args[0] if node.args else node.kwargs.get("input")
        if _is_flatten(torch, node, modules):
            shape = meta(src)
            return shape if shape is not None and len(shape) == 4 else None
        if node.op not in ("call_module", "call_function", "call_method") or not isinstance(src, fx.Node):
            return None
        if meta(node) is None or meta(node) != meta(src):
            return None
        node = src
    return None


def _trace_fx(torch, gm, x) -> list[_Op]:
    from torch.fx.passes.shape_prop import ShapeProp

    modules = dict(gm.named_modules())
    _run(lambda: ShapeProp(gm).propagate(x), x)

    def meta(node):
        tm = getattr(node, "meta", {}).get("tensor_meta") if isinstance(node, torch.fx.Node) else None
        if not hasattr(tm, "shape") and isinstance(tm, (tuple, list)):  # an op returning several tensors
            tm = tm[0] if tm else None
        return tuple(int(d) for d in tm.shape) if tm is not None and hasattr(tm, "shape") else None

    ops = []
    for node in gm.graph.nodes:
        if node.op == "call_module":
            src = node.args[0] if node.args else None
            flat = _flattened_from(torch, src, meta, modules)
            op = _module_op(torch, node.target, modules[node.target], meta(src), meta(node), flat)
        elif node.op == "call_function":
            op = _functional_op(torch, node, meta)
        else:
            op = None
        if op is not None:
            ops.append(op)
    return ops


def _symbolic_trace(torch, module, required: bool):
    """The fx GraphModule of ``module``, or None when fx cannot trace it (and ``required`` is off)."""
    try:
        return torch.fx.symbolic_trace(module)
    except Exception as exc:  # fx raises TraceError, TypeError, ... on Python control flow
        if not required:
            return None
        text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise WorkloadError(f"torch.fx cannot trace {type(module).__name__}: {text}") from None


def _trace_hooks(torch, module, x) -> list[_Op]:
    ops: list[_Op] = []
    handles = []

    def hook(qname, mod, inputs, output):
        t = inputs[0]
        out = output[0] if isinstance(output, (tuple, list)) else output
        base = getattr(t, "_base", None)
        flat = tuple(base.shape) if base is not None and base.dim() == 4 and t.dim() == 2 else None
        op = _module_op(torch, qname or type(mod).__name__.lower(), mod, tuple(t.shape), tuple(out.shape), flat)
        if op is not None:
            ops.append(op)

    try:
        for qname, mod in module.named_modules():
            if _module_op_kind(torch, mod):
                handles.append(mod.register_forward_hook(lambda m, i, o, q=qname: hook(q, m, i, o)))
        _run(lambda: module(x), x)
    finally:
        for h in handles:
            h.remove()
    return ops


def _module_op_kind(torch, mod) -> bool:
    nn = torch.nn
    return isinstance(mod, (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.ConvTranspose1d, nn.ConvTranspose2d,
                            nn.ConvTranspose3d, nn.Linear, nn.Bilinear, nn.MaxPool2d, nn.AvgPool2d,
                            nn.AdaptiveAvgPool2d, nn.AdaptiveMaxPool2d, nn.RNNBase, nn.MultiheadAttention))


def _run(fn, x):
    try:
        with contextlib.redirect_stderr(io.StringIO()):  # ShapeProp prints the traceback it re-raises
            return fn()
    except WorkloadError:
        raise
    except Exception as exc:  # the model's own forward failed on this input shape
        while exc.__cause__ is not None:  # ShapeProp wraps the model's own error
            exc = exc.__cause__
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise WorkloadError(f"model forward failed for input {list(x.shape)}: {first}") from None


# ---- ops -> layers ----------------------------------------------------------------------------
def _to_layer(op: _Op, name: str, batch: int):
    where = f"module {op.name}"
    a = op.attrs
    if op.op in ("conv", "tconv"):
        return conv_layer(where, name, batch, op.in_shape, op.out_shape, kernel=a["kernel"],
                          out_channels=a["out_channels"], groups=a["groups"], stride=a["stride"],
                          padding=a["padding"], dilation=a["dilation"], bias=a["bias"],
                          transposed=op.op == "tconv", output_padding=a.get("output_padding", (0, 0)))
    if op.op == "linear":
        return fc_layer(where, name, batch, op.in_shape, a["out_features"], a["bias"], op.flattened_from)
    if op.op == "adaptive":
        if op.in_shape is None or op.out_shape is None or len(op.in_shape) != 4 or len(op.out_shape) != 4:
            raise WorkloadError(f"{where}: adaptive pooling needs 4-D input and output shapes")
        (kh, uh), (kw, uw) = (adaptive_window(op.in_shape[2], op.out_shape[2]),
                              adaptive_window(op.in_shape[3], op.out_shape[3]))
        return pool_layer(where, name, batch, op.in_shape, op.out_shape, kernel=(kh, kw), stride=(uh, uw),
                          padding=(0, 0, 0, 0), op=a["op"])
    return pool_layer(where, name, batch, op.in_shape, op.out_shape, kernel=a["kernel"], stride=a["stride"],
                      padding=a["padding"], dilation=a.get("dilation", (1, 1)),
                      op="max" if op.op == "maxpool" else "avg")


def from_torch(module, input_shape, name: str = "model", batch: int = 1, trace: str = "auto",
               measure_density: bool = False) -> Network:
    """Extract the conv/fc/pool layers of ``module`` run on one ``input_shape`` = (C, H, W) sample.

    Every layer gets N = ``batch``. ``trace`` is 'auto' (fx, else hooks), 'fx' or 'hooks'.
    ``input_shape`` may also be an example input tensor ([N,] C, H, W). ``measure_density``
    (needs the example input): run the model once on it and set each Conv/Linear module layer's
    density: the nonzero fraction of its input (ifmap) and of its weight as used in the forward
    pass (a pruned module's masked weight); the ofmap stays 1 (not measured).
    Raises ``WorkloadError`` for a missing torch, a bad input shape, a forward pass that fails,
    or an unsupported module."""
    torch = _import_torch()
    example = None
    if isinstance(input_shape, torch.Tensor):
        example = input_shape if input_shape.dim() == 4 else input_shape.unsqueeze(0)
        input_shape = tuple(int(v) for v in example.shape[1:])
    if measure_density and example is None:
        raise WorkloadError("measure_density needs an example input tensor in place of input_shape")
    if trace not in TRACE_MODES:
        raise WorkloadError(f"trace must be one of {', '.join(TRACE_MODES)}, got {trace!r}")
    if isinstance(batch, bool) or not isinstance(batch, int) or batch <= 0:
        raise WorkloadError(f"batch must be a positive integer, got {batch!r}")
    try:
        c, h, w = (int(v) for v in input_shape)
        bad = any(v <= 0 for v in (c, h, w)) or len(tuple(input_shape)) != 3
    except (TypeError, ValueError):
        bad = True
    if bad:
        raise WorkloadError(f"input_shape must be (C, H, W) positive integers, got {input_shape!r}")
    if not isinstance(module, torch.nn.Module):
        raise WorkloadError(f"from_torch needs a torch.nn.Module, got {type(module).__name__}")
    x = torch.zeros(1, c, h, w)
    modes = [(m, m.training) for m in module.modules()]  # restored one by one: submodules may differ
    module.eval()
    try:
        with torch.no_grad():
            # a bare Conv2d/Linear/... as the root would be traced through its forward (F.pad + F.conv2d
            # for padding_mode='reflect'); hooks see the module itself
            use_fx = trace != "hooks" and not _module_op_kind(torch, module)
            gm = _symbolic_trace(torch, module, required=trace == "fx") if use_fx else None
            ops = _trace_fx(torch, gm, x) if gm is not None else _trace_hooks(torch, module, x)
    finally:
        for m, training in modes:
            m.training = training
    seen: dict[str, int] = {}
    layers = [_to_layer(op, unique_name(op.name, seen), batch) for op in ops]
    if not any(layer.is_mapped for layer in layers):
        raise WorkloadError(f"model {name}: no Conv/Linear layers found")
    if measure_density:
        layers = _with_measured_density(torch, module, example, layers)
    return Network(name=name, layers=tuple(layers), input_shape=(c, h, w), batch=batch,
                   source=f"PyTorch {type(module).__name__} (extracted with {'hooks' if gm is None else 'torch.fx'})")


def _with_measured_density(torch, module, example, layers):
    """Run ``module`` once on ``example`` (eval mode, no grad) and set the density of every layer
    named after a Conv/Linear module: nonzero fraction of its input and of its weight."""
    from dataclasses import replace

    from accelsim.sparsity.density import Density

    nn = torch.nn
    found: dict[str, tuple[float, float]] = {}
    calls: dict[str, int] = {}
    handles = []

    def hook(qname, mod, inputs):
        x = inputs[0]
        calls[qname] = calls.get(qname, 0) + 1
        key = qname if calls[qname] == 1 else f"{qname}@{calls[qname]}"
        w = mod.weight
        found[key] = (int(torch.count_nonzero(x)) / x.numel(), int(torch.count_nonzero(w)) / w.numel())

    modes = [(m, m.training) for m in module.modules()]
    module.eval()
    try:
        for qname, mod in module.named_modules():
            if isinstance(mod, (nn.Conv1d, nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
                handles.append(mod.register_forward_pre_hook(lambda m, i, q=qname: hook(q, m, i)))
        with torch.no_grad():
            _run(lambda: module(example), example)
    finally:
        for h in handles:
            h.remove()
        for m, training in modes:
            m.training = training
    out = []
    for layer in layers:
        if layer.is_mapped and layer.name in found:
            ifmap, weights = found[layer.name]
            layer = replace(layer, density=Density(ifmap=ifmap, weights=weights))
        out.append(layer)
    return out
