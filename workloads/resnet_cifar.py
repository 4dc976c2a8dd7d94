"""CIFAR-10 ResNet-20/32/44/56/110 (He, Zhang, Ren, Sun, "Deep Residual Learning for Image
Recognition", CVPR 2016, Sec. 4.2 and Table 6).

32x32 input. conv1 3x3 (16) -> three stages of n basic blocks (two 3x3 convs) with 16, 32, 64
filters on 32x32, 16x16, 8x8 maps (depth 6n + 2) -> global average pool -> fc 10.
Shortcuts are identity everywhere (option A): where a stage halves the map and doubles the
channels, the shortcut takes every other pixel (listed as a 1x1 stride-2 pool,
``layerI.0.shortcut``) and appends zero channels (listed as a concat, ``layerI.0.shortcut.pad``),
so shortcuts add no parameters. Convs have no bias (BatchNorm follows); the fc has one.
Layer names follow torchvision's ResNet (conv1, layer1.0.conv1, ..., fc).
"""

from accelsim.errors import WorkloadError
from accelsim.workload.builder import NetworkBuilder, Tensor
from accelsim.workload.zoo import zoo_network

SOURCE = "He et al., Deep Residual Learning for Image Recognition, CVPR 2016, Sec. 4.2, Table 6"


def option_a_shortcut(b: NetworkBuilder, x: Tensor, name: str, out: int, stride: int) -> Tensor:
    """Identity shortcut with zero padding: subsample by ``stride``, then pad channels to ``out``.
    Parameter-free; listed as a pool (the subsampling) and a concat (the zero channels)."""
    if stride != 1:
        x = b.pool(f"{name}.shortcut", x, k=1, stride=stride)
    if out > x.c:
        x = b.concat(f"{name}.shortcut.pad", x, Tensor(out - x.c, x.h, x.w))
    return x


def cifar_resnet(depth: int, batch: int = 1, input_shape=None):
    if (depth - 2) % 6:
        raise WorkloadError(f"CIFAR ResNet depth must be 6n + 2, got {depth}")
    n = (depth - 2) // 6
    b = NetworkBuilder(f"resnet{depth}-cifar", input_shape or (3, 32, 32), batch=batch, source=SOURCE,
                       check_shapes=input_shape is None)
    x = b.conv("conv1", b.input, out=16, k=3, pad=1, bias=False, expect=(16, 32, 32))
    for stage, (planes, size) in enumerate(((16, 32), (32, 16), (64, 8))):
        for j in range(n):
            name = f"layer{stage + 1}.{j}"
            stride = 2 if (stage > 0 and j == 0) else 1
            y = b.conv(f"{name}.conv1", x, out=planes, k=3, stride=stride, pad=1, bias=False)
            y = b.conv(f"{name}.conv2", y, out=planes, k=3, pad=1, bias=False)
            x = b.add(f"{name}.add", y, option_a_shortcut(b, x, name, planes, stride))
        b.check(x, (planes, size, size), f"layer{stage + 1}")
    x = b.global_pool("avgpool", x, expect=(64, 1, 1))
    b.fc("fc", x, out=10)
    return b.build()


_NOTES = ("Option A shortcuts (parameter-free); convs without bias, fc 64x10 with bias; the paper's "
          "{p} parameters count weights + fc bias (BatchNorm's scale/shift excluded): {mine} here.")


def _register(depth: int, quoted: str, mine: str):
    @zoo_network(f"resnet{depth}-cifar", source=SOURCE, aliases=(f"resnet{depth}",),
                 notes=_NOTES.format(p=quoted, mine=mine))
    def build(batch: int = 1, input_shape=None):
        return cifar_resnet(depth, batch, input_shape)

    build.__name__ = f"resnet{depth}_cifar"
    return build


resnet20_cifar = _register(20, "0.27M", "268,346")
resnet32_cifar = _register(32, "0.46M", "461,882")
resnet44_cifar = _register(44, "0.66M", "655,418")
resnet56_cifar = _register(56, "0.85M", "848,954")
resnet110_cifar = _register(110, "1.7M", "1,719,866")
