"""ResNeXt-50 (32x4d) (Xie, Girshick, Dollar, Tu, He, "Aggregated Residual Transformations for Deep
Neural Networks", CVPR 2017, Table 1).

ResNet-50's layout with wider bottlenecks whose 3x3 conv is grouped: cardinality 32, 4 channels
per group in conv2 (widths 128, 256, 512, 1024 per stage; outputs 256 .. 2048). As in the paper's
implementation (and torchvision's ``resnext50_32x4d``, whose names these are), downsampling is done
by the stride-2 grouped 3x3 conv of each stage's first block. Convs have no bias; the fc has one.
"""

from accelsim.workload.builder import NetworkBuilder
from accelsim.workload.zoo import zoo_network

from .resnet import DEPTHS, bottleneck, head, stem

SOURCE = "Xie et al., Aggregated Residual Transformations for Deep Neural Networks, CVPR 2017, Table 1"


def resnext(depth: int = 50, cardinality: int = 32, group_width: int = 4, batch: int = 1, input_shape=None):
    """ResNeXt-``depth`` (cardinality x group_width d) at 224x224 (or ``input_shape``)."""
    b = NetworkBuilder(f"resnext{depth}-{cardinality}x{group_width}d", input_shape or (3, 224, 224), batch=batch,
                       source=SOURCE, check_shapes=input_shape is None)
    x = stem(b)
    for stage, (blocks, size) in enumerate(zip(DEPTHS[depth], (56, 28, 14, 7), strict=True)):
        width = cardinality * group_width * 2 ** stage
        out = 256 * 2 ** stage
        for j in range(blocks):
            stride = 2 if (stage > 0 and j == 0) else 1
            x = bottleneck(b, x, f"layer{stage + 1}.{j}", width, out, stride, stride_on_3x3=True,
                           groups=cardinality)
        b.check(x, (out, size, size), f"layer{stage + 1} (conv{stage + 2})")
    head(b, x)
    return b.build()


@zoo_network("resnext50-32x4d", source=SOURCE, aliases=("resnext50", "resnext-50"),
             notes="Table 1: 25.0M params, 4.2G FLOPs counted as multiply-adds. Here 25.0M = weights + fc bias "
             "(BatchNorm excluded) and 4.23G MACs (conv + fc); stride on the grouped 3x3 conv.")
def resnext50_32x4d(batch: int = 1, input_shape=None):
    return resnext(50, 32, 4, batch, input_shape)
