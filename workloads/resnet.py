"""ResNet-18/34/50/101/152 for ImageNet (He, Zhang, Ren, Sun, "Deep Residual Learning for Image
Recognition", CVPR 2016, Table 1).

224x224 input. conv1 7x7/2 (64) -> 3x3/2 max pool -> conv2_x .. conv5_x (torchvision's layer1 ..
layer4) -> global average pool -> fc 1000. Basic blocks (3x3, 3x3) for 18/34, bottlenecks
(1x1, 3x3, 1x1 with 4x expansion) for 50/101/152. Shortcuts are identity, or a 1x1 projection
(option B, torchvision's ``downsample.0``) where the shape changes.

Layer names and execution order are torchvision's (conv1, layer1.0.conv1, ..., the block's
``downsample.0`` after its last conv, fc); each block's residual sum is ``layerI.J.add``. Every conv
is followed by BatchNorm, so convs have no bias; the fc has one. BatchNorm and ReLU are not listed
(they carry the shape unchanged and would double the listing).

Where the stride sits in a downsampling bottleneck: the paper (and the authors' Caffe models) puts
it on the first 1x1 conv ("v1"); torchvision puts it on the 3x3 conv ("v1.5"), which costs more
MACs. ``resnet50/101/152`` are v1 and match Table 1's multiply-adds (3.8G, 7.6G, 11.3G, and the
Eyeriss tutorial's 3.9G for ResNet-50); ``resnet50-v1.5`` etc. are torchvision's layout.
Basic-block networks (18, 34) are the same in both.
"""

from accelsim.workload.builder import NetworkBuilder, Tensor
from accelsim.workload.zoo import zoo_network

SOURCE = "He et al., Deep Residual Learning for Image Recognition, CVPR 2016, Table 1"

#: blocks per stage (conv2_x .. conv5_x) for each depth
DEPTHS = {18: (2, 2, 2, 2), 34: (3, 4, 6, 3), 50: (3, 4, 6, 3), 101: (3, 4, 23, 3), 152: (3, 8, 36, 3)}


def basic_block(b: NetworkBuilder, x: Tensor, name: str, planes: int, stride: int) -> Tensor:
    """Two 3x3 convs; 1x1 projection shortcut when the shape changes. Output: planes channels."""
    y = b.conv(f"{name}.conv1", x, out=planes, k=3, stride=stride, pad=1, bias=False)
    y = b.conv(f"{name}.conv2", y, out=planes, k=3, pad=1, bias=False)
    if stride != 1 or x.c != planes:
        x = b.conv(f"{name}.downsample.0", x, out=planes, k=1, stride=stride, bias=False)
    return b.add(f"{name}.add", y, x)


def bottleneck(b: NetworkBuilder, x: Tensor, name: str, width: int, out: int, stride: int,
               stride_on_3x3: bool, groups: int = 1) -> Tensor:
    """1x1 (width) -> 3x3 (width, ``groups``) -> 1x1 (out); 1x1 projection shortcut when the shape
    changes. The stride sits on the 3x3 conv if ``stride_on_3x3`` (v1.5, ResNeXt), else on the
    first 1x1 conv (v1, the paper's Caffe models)."""
    s1, s3 = (1, stride) if stride_on_3x3 else (stride, 1)
    y = b.conv(f"{name}.conv1", x, out=width, k=1, stride=s1, bias=False)
    y = b.conv(f"{name}.conv2", y, out=width, k=3, stride=s3, pad=1, groups=groups, bias=False)
    y = b.conv(f"{name}.conv3", y, out=out, k=1, bias=False)
    if stride != 1 or x.c != out:
        x = b.conv(f"{name}.downsample.0", x, out=out, k=1, stride=stride, bias=False)
    return b.add(f"{name}.add", y, x)


def stem(b: NetworkBuilder) -> Tensor:
    """conv1 7x7/2 (64, 112x112) and the 3x3/2 max pool (56x56), shared by ResNet and ResNeXt."""
    x = b.conv("conv1", b.input, out=64, k=7, stride=2, pad=3, bias=False, expect=(64, 112, 112))
    return b.pool("maxpool", x, k=3, stride=2, pad=1, expect=(64, 56, 56))


def head(b: NetworkBuilder, x: Tensor, classes: int = 1000) -> None:
    x = b.global_pool("avgpool", x, expect=(x.c, 1, 1))
    b.fc("fc", x, out=classes)


def resnet(depth: int, batch: int = 1, stride_on_3x3: bool = False, name: str | None = None, input_shape=None):
    """ResNet-``depth`` at 224x224 (or ``input_shape``). Table 1's output sizes are checked after every stage."""
    b = NetworkBuilder(name or f"resnet{depth}", input_shape or (3, 224, 224), batch=batch, source=SOURCE,
                       check_shapes=input_shape is None)
    x = stem(b)
    bottlenecked = depth >= 50
    for stage, (blocks, size) in enumerate(zip(DEPTHS[depth], (56, 28, 14, 7), strict=True)):
        planes = 64 * 2 ** stage
        for j in range(blocks):
            stride = 2 if (stage > 0 and j == 0) else 1
            name_j = f"layer{stage + 1}.{j}"
            if bottlenecked:
                x = bottleneck(b, x, name_j, planes, 4 * planes, stride, stride_on_3x3)
            else:
                x = basic_block(b, x, name_j, planes, stride)
        b.check(x, ((4 if bottlenecked else 1) * planes, size, size), f"layer{stage + 1} (conv{stage + 2}_x)")
    head(b, x)
    return b.build()


_BIAS = "Convs have no bias (BatchNorm follows); fc has 1,000 biases, counted in params not weights. "
_V1 = ("Stride on the first 1x1 conv of a downsampling bottleneck (v1, as in the paper's Caffe models); "
       "see the -v1.5 entry for torchvision's layout. ")
_V15 = ("torchvision layout (v1.5): stride on the 3x3 conv of a downsampling bottleneck, which makes "
        "the downsampling 3x3 convs see the larger map; more MACs than Table 1's {tab}. ")


@zoo_network("resnet18", source=SOURCE, aliases=("resnet-18",),
             notes=_BIAS + "Table 1: 1.8G multiply-adds (conv + fc); 224 input; projection shortcuts (option B).")
def resnet18(batch: int = 1, input_shape=None):
    return resnet(18, batch, input_shape=input_shape)


@zoo_network("resnet34", source=SOURCE, aliases=("resnet-34",),
             notes=_BIAS + "Table 1: 3.6G multiply-adds; 224 input; projection shortcuts (option B).")
def resnet34(batch: int = 1, input_shape=None):
    return resnet(34, batch, input_shape=input_shape)


@zoo_network("resnet50", source=SOURCE + "; Eyeriss tutorial (25.5M weights, 3.9G MACs)", aliases=("resnet-50",),
             notes=_BIAS + _V1 + "Table 1: 3.8G multiply-adds (3.86G here, the tutorial's 3.9G); "
             "the tutorial's 25.5M counts weights + fc bias (25.50M here; BatchNorm's 53k excluded).")
def resnet50(batch: int = 1, input_shape=None):
    return resnet(50, batch, input_shape=input_shape)


@zoo_network("resnet101", source=SOURCE, aliases=("resnet-101",),
             notes=_BIAS + _V1 + "Table 1: 7.6G multiply-adds.")
def resnet101(batch: int = 1, input_shape=None):
    return resnet(101, batch, input_shape=input_shape)


@zoo_network("resnet152", source=SOURCE, aliases=("resnet-152",),
             notes=_BIAS + _V1 + "Table 1: 11.3G multiply-adds.")
def resnet152(batch: int = 1, input_shape=None):
    return resnet(152, batch, input_shape=input_shape)


@zoo_network("resnet50-v1.5", source=SOURCE + "; torchvision resnet50", aliases=("resnet50_tv",),
             notes=_BIAS + _V15.format(tab="3.8G (4.09G here)"))
def resnet50_v15(batch: int = 1, input_shape=None):
    return resnet(50, batch, stride_on_3x3=True, name="resnet50-v1.5", input_shape=input_shape)


@zoo_network("resnet101-v1.5", source=SOURCE + "; torchvision resnet101", aliases=("resnet101_tv",),
             notes=_BIAS + _V15.format(tab="7.6G (7.80G here)"))
def resnet101_v15(batch: int = 1, input_shape=None):
    return resnet(101, batch, stride_on_3x3=True, name="resnet101-v1.5", input_shape=input_shape)


@zoo_network("resnet152-v1.5", source=SOURCE + "; torchvision resnet152", aliases=("resnet152_tv",),
             notes=_BIAS + _V15.format(tab="11.3G (11.51G here)"))
def resnet152_v15(batch: int = 1, input_shape=None):
    return resnet(152, batch, stride_on_3x3=True, name="resnet152-v1.5", input_shape=input_shape)
