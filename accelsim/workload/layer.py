"""One CNN layer as a loop nest, in Eyeriss notation.

Notation (Chen et al., Eyeriss tutorial / ISCA 2016):

    N  batch size                       G  groups
    M  filters per group (ofmap chans)  C  ifmap channels per group
    H, W  ifmap height/width (unpadded) R, S  filter height/width
    E, F  ofmap height/width (derived)  U  stride, P  padding, D  dilation (per axis)

    E = floor((H + P_top + P_bottom - D_h*(R-1) - 1) / U_h) + 1      (same for F with W, S)
    MACs = N*G*M*C*E*F*R*S,  weights = G*M*C*R*S,  bias = G*M

A fully connected layer is a conv with R=H, S=W and E=F=1. A depthwise conv has G = channels,
C = 1 and M = channel multiplier. A transposed (fractionally strided) conv stores its own
parameters (H, W are its input, U its upsampling factor) and maps as ``direct_equivalent()``: a
stride-1 conv over the zero-inserted input; its ``macs`` count only the useful products
(N*G*M*C*H*W*R*S, what the papers and PyTorch profilers report), while the direct equivalent's
``macs`` count every product the hardware executes, zeros included.

Layers that are not mapped (pooling, add, concat, activation, normalization) carry shapes
through a network and report zero MACs and parameters.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import NamedTuple

from accelsim.errors import ShapeError
from accelsim.sparsity.density import Density, as_density

MAPPED_KINDS = ("conv", "fc")
UNMAPPED_KINDS = ("pool", "add", "concat", "act", "norm")
KINDS = MAPPED_KINDS + UNMAPPED_KINDS
MAX_DIM = 1 << 20  # per loop dimension: far beyond any real layer, keeps every count exact in int64
MAX_MACS = 1 << 53  # MACs of one layer: counts stay exact as float64 energies


class LoopNest(NamedTuple):
    """What the mapper needs of a layer: loop bounds, stride and dilation per axis.

    Two layers with equal ``LoopNest`` have identical mapspaces and costs."""

    N: int
    G: int
    M: int
    C: int
    E: int
    F: int
    R: int
    S: int
    Uh: int
    Uw: int
    Dh: int
    Dw: int

    @property
    def macs(self) -> int:
        return self.N * self.G * self.M * self.C * self.E * self.F * self.R * self.S

    @property
    def ifmap_h(self) -> int:
        """Rows of (padded) ifmap the nest touches: the sliding-window projection of E and R."""
        return (self.E - 1) * self.Uh + (self.R - 1) * self.Dh + 1

    @property
    def ifmap_w(self) -> int:
        return (self.F - 1) * self.Uw + (self.S - 1) * self.Dw + 1


def _pair(value, what: str, name: str) -> tuple[int, int]:
    if isinstance(value, int):
        return (value, value)
    try:
        a, b = value
    except (TypeError, ValueError):
        raise ShapeError(f"layer {name}: {what} must be an int or a pair, got {value!r}") from None
    return (a, b)


def _quad(value, name: str) -> tuple[int, int, int, int]:
    """Padding as (top, bottom, left, right) from an int, (ph, pw) or a 4-tuple."""
    if isinstance(value, int):
        return (value,) * 4
    vals = tuple(value)
    if len(vals) == 2:
        return (vals[0], vals[0], vals[1], vals[1])
    if len(vals) == 4:
        return vals  # type: ignore[return-value]
    raise ShapeError(f"layer {name}: padding must be an int, (ph, pw) or (top, bottom, left, right)")


def _axis_fmt(values: tuple[int, ...]) -> str:
    """'4' when all entries agree, else 'a,b,..' (used in CSV columns stride/pad/dilation)."""
    return str(values[0]) if len(set(values)) == 1 else ",".join(str(v) for v in values)


@dataclass(frozen=True)
class Layer:
    """A layer's shape. Construct with keyword arguments; E and F are derived.

    ``stride`` and ``dilation`` are (h, w); ``padding`` is (top, bottom, left, right);
    ``output_padding`` (h, w) only applies to transposed convs. All sizes are in elements."""

    name: str
    kind: str = "conv"
    N: int = 1
    G: int = 1
    M: int = 1
    C: int = 1
    H: int = 1
    W: int = 1
    R: int = 1
    S: int = 1
    stride: tuple[int, int] = (1, 1)
    padding: tuple[int, int, int, int] = (0, 0, 0, 0)
    dilation: tuple[int, int] = (1, 1)
    transposed: bool = False
    output_padding: tuple[int, int] = (0, 0)
    bias: bool = True
    pool_op: str = ""  # 'max' / 'avg' for pooling layers
    E_given: int | None = field(default=None, repr=False)  # concat/add/act/norm pass E through
    F_given: int | None = field(default=None, repr=False)
    density: Density | None = None  # nonzero fractions of ifmap / weights / ofmap (accelsim.sparsity); None = dense

    def __post_init__(self) -> None:
        n = self.name
        object.__setattr__(self, "density", as_density(self.density))
        object.__setattr__(self, "stride", _pair(self.stride, "stride", n))
        object.__setattr__(self, "dilation", _pair(self.dilation, "dilation", n))
        object.__setattr__(self, "padding", _quad(self.padding, n))
        object.__setattr__(self, "output_padding", _pair(self.output_padding, "output_padding", n))
        if not isinstance(self.name, str) or not self.name:
            raise ShapeError("a layer needs a non-empty name")
        if self.kind not in KINDS:
            raise ShapeError(f"layer {n}: unknown kind {self.kind!r}; expected one of {', '.join(KINDS)}")
        for dim in ("N", "G", "M", "C", "H", "W", "R", "S"):
            v = getattr(self, dim)
            if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
                raise ShapeError(f"layer {n}: {dim} must be a positive integer, got {v!r}")
            if v > MAX_DIM:
                raise ShapeError(f"layer {n}: {dim} is {v:,}, more than accelsim's limit of {MAX_DIM:,} per dimension")
        for what, vals, low in (("stride", self.stride, 1), ("dilation", self.dilation, 1),
                                ("padding", self.padding, 0), ("output_padding", self.output_padding, 0)):
            for v in vals:
                if isinstance(v, bool) or not isinstance(v, int) or v < low:
                    raise ShapeError(f"layer {n}: {what} must be integers >= {low}, got {vals!r}")
                if v > MAX_DIM:
                    raise ShapeError(f"layer {n}: {what} {v:,} is more than accelsim's limit of {MAX_DIM:,}")
        if self.transposed and self.kind != "conv":
            raise ShapeError(f"layer {n}: only conv layers can be transposed")
        if self.transposed:
            for ax, op, u in zip("hw", self.output_padding, self.stride, strict=True):
                if op >= u:
                    raise ShapeError(f"layer {n}: output_padding {op} must be smaller than stride {u} ({ax})")
        if self.kind in MAPPED_KINDS:
            eff_r = self.dilation[0] * (self.R - 1) + 1
            eff_s = self.dilation[1] * (self.S - 1) + 1
            if not self.transposed:
                ph = self.H + self.padding[0] + self.padding[1]
                pw = self.W + self.padding[2] + self.padding[3]
                if eff_r > ph or eff_s > pw:
                    raise ShapeError(
                        f"layer {n}: filter {self.R}x{self.S} (dilated extent {eff_r}x{eff_s}) is larger "
                        f"than the padded input {ph}x{pw}")
        if self.kind == "fc" and (self.R != self.H or self.S != self.W or self.padding != (0, 0, 0, 0)):
            raise ShapeError(f"layer {n}: an fc layer needs R=H, S=W and no padding "
                             f"(got R={self.R}, S={self.S}, H={self.H}, W={self.W})")
        for what, v in (("E_given", self.E_given), ("F_given", self.F_given)):
            if v is not None and (isinstance(v, bool) or not isinstance(v, int)):
                raise ShapeError(f"layer {n}: {what[0]} must be an integer, got {v!r}")
        if self.E > MAX_DIM or self.F > MAX_DIM:
            raise ShapeError(f"layer {n}: output {self.E:,}x{self.F:,} is more than accelsim's limit of "
                             f"{MAX_DIM:,} per dimension")
        if self.E < 1 or self.F < 1:
            raise ShapeError(f"layer {n}: output would be {self.E}x{self.F} (input {self.H}x{self.W}, "
                             f"filter {self.R}x{self.S}, stride {self.stride}, padding {self.padding})")
        if self.kind in MAPPED_KINDS and self.macs > MAX_MACS:
            raise ShapeError(f"layer {n}: {self.macs:.3g} MACs, more than accelsim's limit of 2^53 per layer")

    # ---- derived shape -------------------------------------------------------------------
    @property
    def E(self) -> int:
        if self.E_given is not None:
            return self.E_given
        if self.transposed:
            return ((self.H - 1) * self.stride[0] - self.padding[0] - self.padding[1]
                    + self.dilation[0] * (self.R - 1) + self.output_padding[0] + 1)
        return (self.H + self.padding[0] + self.padding[1] - self.dilation[0] * (self.R - 1) - 1) \
            // self.stride[0] + 1

    @property
    def F(self) -> int:
        if self.F_given is not None:
            return self.F_given
        if self.transposed:
            return ((self.W - 1) * self.stride[1] - self.padding[2] - self.padding[3]
                    + self.dilation[1] * (self.S - 1) + self.output_padding[1] + 1)
        return (self.W + self.padding[2] + self.padding[3] - self.dilation[1] * (self.S - 1) - 1) \
            // self.stride[1] + 1

    @property
    def is_mapped(self) -> bool:
        """True for layers the mapper maps (conv, fc); False for shape-only layers."""
        return self.kind in MAPPED_KINDS

    @property
    def type(self) -> str:
        """Reported type: conv, dwconv (depthwise), gconv (grouped), tconv (transposed), fc, or the kind."""
        if self.kind != "conv":
            return self.kind
        if self.transposed:
            return "tconv"
        if self.G > 1 and self.C == 1:
            return "dwconv"
        if self.G > 1:
            return "gconv"
        return "conv"

    @property
    def in_channels(self) -> int:
        return self.G * self.C

    @property
    def out_channels(self) -> int:
        return self.G * self.M

    # ---- counts (elements / words) -------------------------------------------------------
    @property
    def macs(self) -> int:
        """Useful multiply-accumulates (0 for unmapped layers)."""
        if not self.is_mapped:
            return 0
        if self.transposed:
            return self.N * self.G * self.M * self.C * self.H * self.W * self.R * self.S
        return self.N * self.G * self.M * self.C * self.E * self.F * self.R * self.S

    @property
    def weights(self) -> int:
        """Filter weights, G*M*C*R*S (bias excluded)."""
        return self.G * self.M * self.C * self.R * self.S if self.is_mapped else 0

    @property
    def biases(self) -> int:
        return self.G * self.M if (self.is_mapped and self.bias) else 0

    @property
    def params(self) -> int:
        """Weights plus biases."""
        return self.weights + self.biases

    @property
    def ifmap_words(self) -> int:
        """Unpadded input feature map size, N*G*C*H*W."""
        return self.N * self.G * self.C * self.H * self.W

    @property
    def ofmap_words(self) -> int:
        return self.N * self.out_channels * self.E * self.F

    # ---- mapping view --------------------------------------------------------------------
    def direct_equivalent(self) -> Layer:
        """The direct (non-transposed) conv the hardware executes. For a transposed conv:
        stride 1 over the zero-inserted input ((H-1)*U+1 rows), padded by D*(R-1)-P on each side
        (plus output_padding at the bottom/right), with the same E and F."""
        if not self.transposed:
            return self
        pads = []
        for ax, (lo, hi) in enumerate(((self.padding[0], self.padding[1]), (self.padding[2], self.padding[3]))):
            k = self.dilation[ax] * ((self.R, self.S)[ax] - 1)
            if k - lo < 0 or k - hi < 0:
                raise ShapeError(f"layer {self.name}: transposed-conv padding {lo},{hi} exceeds the dilated "
                                 f"filter extent {k} (cropping is not supported)")
            pads += [k - lo, k - hi + self.output_padding[ax]]
        return replace(self, transposed=False, H=(self.H - 1) * self.stride[0] + 1,
                       W=(self.W - 1) * self.stride[1] + 1, stride=(1, 1), padding=tuple(pads),
                       output_padding=(0, 0))

    @property
    def nest(self) -> LoopNest:
        """The loop nest the mapper maps (of ``direct_equivalent()``). FC and conv alike."""
        d = self.direct_equivalent()
        return LoopNest(d.N, d.G, d.M, d.C, d.E, d.F, d.R, d.S, d.stride[0], d.stride[1],
                        d.dilation[0], d.dilation[1])

    def with_batch(self, n: int) -> Layer:
        return replace(self, N=n)

    def row(self) -> dict:
        """One row of the ``accelsim layers`` table (the CSV contract columns)."""
        return {
            "layer": self.name, "type": self.type, "N": self.N, "G": self.G, "M": self.M, "C": self.C,
            "H": self.H, "W": self.W, "R": self.R, "S": self.S, "E": self.E, "F": self.F,
            "stride": _axis_fmt(self.stride), "pad": _axis_fmt(self.padding),
            "dilation": _axis_fmt(self.dilation), "params": self.params, "macs": self.macs,
        }
