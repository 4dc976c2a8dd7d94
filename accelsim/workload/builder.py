"""Shape-tracing network builder: write a network as a sequence of layer calls; H, W, E, F are
inferred from the input shape, so a typo shows up as a ``ShapeError`` naming the layer instead
of as a wrong MAC count.

    b = NetworkBuilder("lenet5", input_shape=(1, 32, 32), source="LeCun et al., Proc. IEEE 1998")
    x = b.conv("conv1", b.input, out=6, k=5)                    # 6 x 28 x 28
    x = b.pool("pool1", x, k=2)
    ...
    net = b.build()

Every method takes and returns a ``Tensor`` (C, H, W of one sample). ``expect=(C, H, W)``
checks a layer's output against the paper's table; a zoo network built at another input size
than the paper's passes ``check_shapes=False``, which turns those checks (and ``check()``) off.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from accelsim.errors import ShapeError
from accelsim.workload.layer import Layer, _pair
from accelsim.workload.network import Network


@dataclass(frozen=True)
class Tensor:
    """Shape of one sample's feature map: channels x height x width."""

    c: int
    h: int
    w: int

    @property
    def shape(self) -> tuple[int, int, int]:
        return (self.c, self.h, self.w)

    def __str__(self) -> str:
        return f"{self.c}x{self.h}x{self.w}"


def _same_padding(k: int, d: int, name: str) -> tuple[int, int]:
    extent = d * (k - 1)
    if extent % 2:
        raise ShapeError(f"layer {name}: 'same' padding needs an odd dilated filter extent, got {extent + 1}")
    return (extent // 2, extent // 2)


class NetworkBuilder:
    """Collects layers while tracing shapes. One builder builds one network."""

    def __init__(self, name: str, input_shape: tuple[int, int, int], source: str = "",
                 notes: str = "", batch: int = 1, check_shapes: bool = True) -> None:
        c, h, w = input_shape
        self.name, self.source, self.notes, self.batch = name, source, notes, batch
        self.check_shapes = check_shapes  # False: ignore expect= and check() (not the paper's input size)
        self.input_shape = (c, h, w)
        self.input = Tensor(c, h, w)
        self._layers: list[Layer] = []

    # ---- helpers -----------------------------------------------------------------------------
    def _add(self, layer: Layer, expect) -> Tensor:
        self._layers.append(layer)
        out = Tensor(layer.out_channels if layer.is_mapped else (layer.G * layer.M), layer.E, layer.F)
        if self.check_shapes and expect is not None and tuple(expect) != out.shape:
            exp = "x".join(str(v) for v in expect)
            raise ShapeError(f"layer {layer.name}: output is {out}, expected {exp} "
                             f"(check padding, stride and the input shape)")
        return out

    def _padding(self, pad, k: tuple[int, int], d: tuple[int, int], name: str):
        if pad == "same":
            return _same_padding(k[0], d[0], name) + _same_padding(k[1], d[1], name)
        return pad

    @staticmethod
    def _check_in(x: Tensor, name: str) -> None:
        if not isinstance(x, Tensor):
            raise ShapeError(f"layer {name}: input must be a Tensor from the builder, got {type(x).__name__}")

    # ---- mapped layers -----------------------------------------------------------------------
    def conv(self, name: str, x: Tensor, out: int, k, stride=1, pad=0, groups: int = 1,
             dilation=1, bias: bool = True, expect=None) -> Tensor:
        """2-D convolution with ``out`` output channels, kernel ``k`` (int or (R, S)).
        ``pad`` is an int, (ph, pw), (top, bottom, left, right) or 'same'."""
        self._check_in(x, name)
        r, s = _pair(k, "kernel", name)
        d = _pair(dilation, "dilation", name)
        if groups <= 0 or x.c % groups or out % groups:
            raise ShapeError(f"layer {name}: {x.c} input and {out} output channels are not both "
                             f"divisible by {groups} groups")
        layer = Layer(name=name, kind="conv", N=self.batch, G=groups, M=out // groups, C=x.c // groups,
                      H=x.h, W=x.w, R=r, S=s, stride=stride, padding=self._padding(pad, (r, s), d, name),
                      dilation=d, bias=bias)
        return self._add(layer, expect)

    def dwconv(self, name: str, x: Tensor, k, stride=1, pad=0, multiplier: int = 1, dilation=1,
               bias: bool = True, expect=None) -> Tensor:
        """Depthwise conv: one group per input channel (G = channels, C = 1, M = multiplier)."""
        return self.conv(name, x, out=x.c * multiplier, k=k, stride=stride, pad=pad, groups=x.c,
                         dilation=dilation, bias=bias, expect=expect)

    def tconv(self, name: str, x: Tensor, out: int, k, stride=1, pad=0, output_padding=0,
              groups: int = 1, dilation=1, bias: bool = True, expect=None) -> Tensor:
        """Transposed (fractionally strided) conv, PyTorch ConvTranspose2d semantics."""
        self._check_in(x, name)
        r, s = _pair(k, "kernel", name)
        if groups <= 0 or x.c % groups or out % groups:
            raise ShapeError(f"layer {name}: {x.c} input and {out} output channels are not both "
                             f"divisible by {groups} groups")
        layer = Layer(name=name, kind="conv", N=self.batch, G=groups, M=out // groups, C=x.c // groups,
                      H=x.h, W=x.w, R=r, S=s, stride=stride, padding=pad, dilation=dilation,
                      transposed=True, output_padding=output_padding, bias=bias)
        return self._add(layer, expect)

    def fc(self, name: str, x: Tensor, out: int, bias: bool = True, expect=None) -> Tensor:
        """Fully connected layer over the whole C x H x W input (a conv with R=H, S=W)."""
        self._check_in(x, name)
        layer = Layer(name=name, kind="fc", N=self.batch, G=1, M=out, C=x.c, H=x.h, W=x.w,
                      R=x.h, S=x.w, bias=bias)
        return self._add(layer, expect)

    # ---- shape-only layers -------------------------------------------------------------------
    def pool(self, name: str, x: Tensor, k, stride=None, pad=0, op: str = "max",
             ceil_mode: bool = False, expect=None) -> Tensor:
        """Max/avg pooling; ``stride`` defaults to ``k``; ``ceil_mode`` as in Caffe/PyTorch."""
        self._check_in(x, name)
        r, s = _pair(k, "kernel", name)
        u = _pair(stride if stride is not None else (r, s), "stride", name)
        p = Layer(name=name, kind="pool", N=self.batch, G=x.c, M=1, C=1, H=x.h, W=x.w, R=r, S=s,
                  stride=u, padding=pad).padding
        sizes = []
        for n_in, lo, hi, kk, uu in ((x.h, p[0], p[1], r, u[0]), (x.w, p[2], p[3], s, u[1])):
            span = n_in + lo + hi - kk
            if span < 0:
                raise ShapeError(f"layer {name}: pooling window {r}x{s} is larger than the padded input "
                                 f"{x.h + p[0] + p[1]}x{x.w + p[2] + p[3]}")
            n_out = (math.ceil(span / uu) if ceil_mode else span // uu) + 1
            if ceil_mode and (n_out - 1) * uu >= n_in + lo:  # last window must start inside the input
                n_out -= 1
            sizes.append(n_out)
        layer = Layer(name=name, kind="pool", N=self.batch, G=x.c, M=1, C=1, H=x.h, W=x.w, R=r, S=s,
                      stride=u, padding=p, pool_op=op, E_given=sizes[0], F_given=sizes[1])
        return self._add(layer, expect)

    def global_pool(self, name: str, x: Tensor, op: str = "avg", expect=None) -> Tensor:
        return self.pool(name, x, k=(x.h, x.w), stride=1, op=op, expect=expect)

    def _elementwise(self, name: str, x: Tensor, kind: str, channels: int, expect) -> Tensor:
        layer = Layer(name=name, kind=kind, N=self.batch, G=channels, M=1, C=1, H=x.h, W=x.w)
        return self._add(layer, expect)

    def add(self, name: str, *xs: Tensor, expect=None) -> Tensor:
        """Elementwise sum (residual connection); every input must have the same shape."""
        for x in xs:
            self._check_in(x, name)
        if len({x.shape for x in xs}) != 1:
            raise ShapeError(f"layer {name}: cannot add shapes {', '.join(str(x) for x in xs)}")
        return self._elementwise(name, xs[0], "add", xs[0].c, expect)

    def concat(self, name: str, *xs: Tensor, expect=None) -> Tensor:
        """Channel concatenation; every input must have the same H x W."""
        for x in xs:
            self._check_in(x, name)
        if len({(x.h, x.w) for x in xs}) != 1:
            raise ShapeError(f"layer {name}: cannot concatenate shapes {', '.join(str(x) for x in xs)} "
                             f"(spatial sizes differ)")
        return self._elementwise(name, xs[0], "concat", sum(x.c for x in xs), expect)

    def act(self, name: str, x: Tensor) -> Tensor:
        """Activation / channel shuffle / dropout: shape passes through (listed with --all)."""
        self._check_in(x, name)
        return self._elementwise(name, x, "act", x.c, None)

    def norm(self, name: str, x: Tensor) -> Tensor:
        """Normalization (BN, LRN): shape passes through (listed with --all)."""
        self._check_in(x, name)
        return self._elementwise(name, x, "norm", x.c, None)

    def reshape(self, name: str, x: Tensor, shape) -> Tensor:
        """View the same elements as another (C, H, W) (e.g. DCGAN's projection of z to 4x4x1024);
        moves no data, so it adds no layer."""
        self._check_in(x, name)
        c, h, w = shape
        if c * h * w != x.c * x.h * x.w:
            raise ShapeError(f"layer {name}: cannot reshape {x} ({x.c * x.h * x.w} elements) to {c}x{h}x{w}")
        return Tensor(c, h, w)

    def check(self, x: Tensor, expect, where: str) -> Tensor:
        """Assert a traced shape equals the paper's (C, H, W); raises ShapeError naming ``where``."""
        if self.check_shapes and tuple(expect) != x.shape:
            raise ShapeError(f"layer {where}: shape is {x}, expected {'x'.join(map(str, expect))}")
        return x

    def build(self) -> Network:
        return Network(name=self.name, layers=tuple(self._layers), input_shape=self.input_shape,
                       batch=self.batch, source=self.source, notes=self.notes)
