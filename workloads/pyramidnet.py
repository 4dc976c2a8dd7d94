"""PyramidNet for CIFAR (Han, Kim, Kim, "Deep Pyramidal Residual Networks", CVPR 2017, Sec. 3 and
Table 4; layout of the authors' PyTorch code, github.com/dyhan0920/PyramidNet-PyTorch).

32x32 input. conv1 3x3 (16) -> three groups of n residual units on 32x32, 16x16, 8x8 maps ->
global average pool -> fc 10. Additive widening (Eq. 2): unit k (1-based, over all N = 3n units)
has ``floor(16 + k * alpha / N)`` channels (times 4 at a bottleneck's output), so the width grows
by alpha/N per unit instead of doubling per group. (The authors' PyTorch code rounds instead of
flooring, which gives 1.76M parameters for alpha = 48; Table 4's 1.7M and 3.8M for alpha = 48, 84
match the floor of Eq. 2.)

Units are pre-activation style: BN -> conv3x3 -> BN -> ReLU -> conv3x3 -> BN (basic, depth 6n + 2)
or BN -> conv1x1 -> BN-ReLU -> conv3x3 -> BN-ReLU -> conv1x1 (x4) -> BN (bottleneck, depth 9n + 2);
BatchNorm/ReLU are not listed. The first unit of groups 2 and 3 has stride 2 on its 3x3 conv.
Shortcuts are parameter-free: a 2x2/2 average pool (``layerI.0.downsample``) where the map
shrinks, and zero channels appended (``layerI.J.shortcut.pad``, a concat) wherever the unit widens,
which is every unit. Convs have no bias; the fc has one.
"""

from fractions import Fraction

from accelsim.errors import WorkloadError
from accelsim.workload.builder import NetworkBuilder, Tensor
from accelsim.workload.zoo import zoo_network

SOURCE = "Han et al., Deep Pyramidal Residual Networks, CVPR 2017, Table 4"


def pyramidnet(depth: int, alpha: float, bottleneck: bool = False, classes: int = 10, batch: int = 1,
               input_shape=None):
    per_unit = 9 if bottleneck else 6
    if (depth - 2) % per_unit:
        raise WorkloadError(f"PyramidNet depth must be {per_unit}n + 2, got {depth}")
    n = (depth - 2) // per_unit
    expansion = 4 if bottleneck else 1
    step = Fraction(alpha) / (3 * n)  # exact, so a width that lands on an integer is not floored below it
    kind = "bottleneck" if bottleneck else "basic"
    name = f"pyramidnet{depth}-a{alpha:g}" + ("-bottleneck" if bottleneck else "")
    b = NetworkBuilder(name, input_shape or (3, 32, 32), batch=batch, source=SOURCE + f" ({kind}, alpha={alpha:g})",
                       check_shapes=input_shape is None)
    x = b.conv("conv1", b.input, out=16, k=3, pad=1, bias=False, expect=(16, 32, 32))
    width = Fraction(16)  # the real-valued width of Eq. 2, floored per unit
    for group, size in enumerate((32, 16, 8)):
        for j in range(n):
            unit = f"layer{group + 1}.{j}"
            stride = 2 if (group > 0 and j == 0) else 1
            width += step
            planes = int(width)  # floor (width > 0)
            if bottleneck:
                y = b.conv(f"{unit}.conv1", x, out=planes, k=1, bias=False)
                y = b.conv(f"{unit}.conv2", y, out=planes, k=3, stride=stride, pad=1, bias=False)
                y = b.conv(f"{unit}.conv3", y, out=planes * expansion, k=1, bias=False)
            else:
                y = b.conv(f"{unit}.conv1", x, out=planes, k=3, stride=stride, pad=1, bias=False)
                y = b.conv(f"{unit}.conv2", y, out=planes, k=3, pad=1, bias=False)
            s = b.pool(f"{unit}.downsample", x, k=2, stride=2, op="avg") if stride == 2 else x
            if y.c > s.c:
                s = b.concat(f"{unit}.shortcut.pad", s, Tensor(y.c - s.c, s.h, s.w))
            x = b.add(f"{unit}.add", y, s)
        b.check(x, (x.c, size, size), f"layer{group + 1}")
    b.check(x, (int(16 + Fraction(alpha)) * expansion, 8, 8), "layer3 (final width 16 + alpha)")
    x = b.global_pool("avgpool", x)
    b.fc("fc", x, out=classes)
    return b.build()


@zoo_network("pyramidnet110-a48", source=SOURCE + " (additive, basic, alpha=48)",
             aliases=("pyramidnet", "pyramidnet110", "pyramidnet-110"),
             notes="Table 4: 1.7M params (CIFAR). Here weights + fc bias of the CIFAR-10 model (fc 64x10), "
             "BatchNorm excluded: 1,726,706 params (widths by Eq. 2's floor); 394M MACs.")
def pyramidnet110_a48(batch: int = 1, input_shape=None):
    return pyramidnet(110, 48, batch=batch, input_shape=input_shape)


@zoo_network("pyramidnet164-a270-bottleneck", source=SOURCE + " (additive, bottleneck, alpha=270)",
             aliases=("pyramidnet164", "pyramidnet-164"),
             notes="Table 4: 27.0M params (CIFAR). Here weights + fc bias of the CIFAR-10 model (fc 1144x10), "
             "BatchNorm excluded: 27,050,177 params; 4.57G MACs.")
def pyramidnet164_a270(batch: int = 1, input_shape=None):
    return pyramidnet(164, 270, bottleneck=True, batch=batch, input_shape=input_shape)
