"""Framework-neutral layer builders shared by the PyTorch and ONNX extractors.

Both extractors know, for every operator, its attributes and the traced shapes of its input
and output tensors (NCHW). These helpers turn that into ``Layer`` objects in Eyeriss notation
and check the derived output shape against the traced one, so a misread attribute shows up as
an error naming the operator instead of as a wrong MAC count.

The flatten -> fc rule: a fully connected layer whose input is the flattening of an
N x C x H x W tensor maps as an fc layer with that C, H, W and R=H, S=W (how the zoo writes
AlexNet's fc6); any other 2-D input maps as C=in_features, H=W=R=S=1. A fully connected layer
applied to an (N, L1, .., Lk, K) tensor is L1*..*Lk independent products: it maps as a 1x1
conv over H=L1*..*Lk, W=1 positions.
"""

from __future__ import annotations

from math import prod

from accelsim.errors import ShapeError, WorkloadError
from accelsim.workload.layer import Layer


def same_padding(size: int, k: int, stride: int, dilation: int, upper: bool = True) -> tuple[int, int]:
    """(before, after) padding that makes the output ceil(size / stride) long ('SAME' in ONNX,
    TensorFlow and PyTorch). ``upper`` puts the odd element at the end (SAME_UPPER, PyTorch)."""
    out = -(-size // stride)
    total = max((out - 1) * stride + (k - 1) * dilation + 1 - size, 0)
    small, big = total // 2, total - total // 2
    return (small, big) if upper else (big, small)


def _check_dims(shape, rank: int | None, where: str, what: str) -> tuple[int, ...]:
    """The shape as ints; ``rank`` None accepts any rank >= 2."""
    dims = tuple(shape) if shape is not None else ()
    ok_rank = len(dims) >= 2 if rank is None else len(dims) == rank
    if not ok_rank or not all(isinstance(d, int) and not isinstance(d, bool) and d > 0 for d in dims):
        expected = "(N, ..., features)" if rank is None else f"{rank} known positive dimensions"
        shown = "[" + ", ".join("?" if d is None else str(d) for d in dims) + "]" if dims else "unknown"
        raise WorkloadError(f"{where}: {what} shape is {shown}, expected {expected} "
                            f"(dynamic or unknown shapes are not supported)")
    return dims


def _layer(where: str, **kwargs) -> Layer:
    try:
        return Layer(**kwargs)
    except ShapeError as exc:
        raise WorkloadError(f"{where}: {exc}") from None


def conv_layer(where: str, name: str, batch: int, in_shape, out_shape, *, kernel: tuple[int, int],
               out_channels: int, groups: int, stride, padding, dilation, bias: bool,
               transposed: bool = False, output_padding=(0, 0)) -> Layer:
    """A conv (or transposed conv) from its attributes and traced NCHW shapes.

    ``padding`` is (top, bottom, left, right). ``where`` prefixes every error (e.g.
    "model.onnx: node conv2"). For a transposed conv whose traced output is larger than the
    attributes give (PyTorch's ``output_size`` argument, ONNX ``output_shape``), the difference
    becomes ``output_padding``."""
    _, c_in, h, w = _check_dims(in_shape, 4, where, "input")
    out = _check_dims(out_shape, 4, where, "output")
    if groups <= 0 or c_in % groups or out_channels % groups:
        raise WorkloadError(f"{where}: {c_in} input and {out_channels} output channels are not both "
                            f"divisible by {groups} groups")
    fields = dict(name=name, kind="conv", N=batch, G=groups, M=out_channels // groups, C=c_in // groups,
                  H=h, W=w, R=kernel[0], S=kernel[1], stride=tuple(stride), padding=tuple(padding),
                  dilation=tuple(dilation), bias=bias, transposed=transposed,
                  output_padding=tuple(output_padding))
    layer = _layer(where, **fields)
    if transposed and (layer.E, layer.F) != tuple(out[2:]):
        extra = (out[2] - layer.E + layer.output_padding[0], out[3] - layer.F + layer.output_padding[1])
        layer = _layer(where, **{**fields, "output_padding": extra})
    found = (layer.out_channels, layer.E, layer.F)
    if found != tuple(out[1:]):
        raise WorkloadError(f"{where}: attributes give a {'x'.join(map(str, found))} output but the traced "
                            f"output is {'x'.join(map(str, out[1:]))}")
    return layer


def fc_layer(where: str, name: str, batch: int, in_shape, out_features: int, bias: bool,
             flattened_from=None) -> Layer:
    """A fully connected layer y = x W^T (+ b) with x of shape ``in_shape`` = (N, ..., K).

    ``flattened_from`` is the NCHW shape x was flattened from, if it was (see the module doc)."""
    dims = _check_dims(in_shape, None, where, "input")
    k = dims[-1]
    if len(dims) == 2 and flattened_from is not None:
        src = _check_dims(flattened_from, 4, where, "flattened input")
        if prod(src[1:]) == k:
            _, c, h, w = src
            return _layer(where, name=name, kind="fc", N=batch, M=out_features, C=c, H=h, W=w, R=h, S=w,
                          bias=bias)
    if len(dims) == 2:
        return _layer(where, name=name, kind="fc", N=batch, M=out_features, C=k, bias=bias)
    return _layer(where, name=name, kind="conv", N=batch, M=out_features, C=k, H=prod(dims[1:-1]), W=1,
                  bias=bias)


def pool_layer(where: str, name: str, batch: int, in_shape, out_shape, *, kernel, stride, padding,
               dilation=(1, 1), op: str = "max") -> Layer:
    """A shape-only pooling layer; E and F are the traced output (so ceil_mode and adaptive
    pooling need no formula here)."""
    _, c, h, w = _check_dims(in_shape, 4, where, "input")
    _, _, e, f = _check_dims(out_shape, 4, where, "output")
    return _layer(where, name=name, kind="pool", N=batch, G=c, M=1, C=1, H=h, W=w, R=kernel[0], S=kernel[1],
                  stride=tuple(stride), padding=tuple(padding), dilation=tuple(dilation), pool_op=op,
                  E_given=e, F_given=f)


def adaptive_window(size: int, out: int) -> tuple[int, int]:
    """(kernel, stride) of an adaptive pool producing ``out`` from ``size`` (exact when ``out``
    divides ``size``; a global pool is kernel=size, stride=1)."""
    if out == 1:
        return size, 1
    stride = max(size // out, 1)
    return size - (out - 1) * stride, stride


def unique_name(name: str, seen: dict[str, int]) -> str:
    """``name`` the first time, then ``name@2``, ``name@3``, ... (a module called twice)."""
    seen[name] = seen.get(name, 0) + 1
    return name if seen[name] == 1 else f"{name}@{seen[name]}"
