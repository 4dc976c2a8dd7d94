"""SqueezeNet 1.0 and 1.1 (Iandola, Han, Moskewicz, Ashraf, Dally, Keutzer, "SqueezeNet: AlexNet-level
accuracy with 50x fewer parameters and <0.5MB model size", arXiv:1602.07360, 2016, Table 1; v1.1 from
the official repository's release notes, github.com/DeepScale/SqueezeNet, SqueezeNet_v1.1).

A fire module ``fireN`` is a 1x1 squeeze conv (s1x1 filters) feeding a 1x1 and a 3x3 expand conv
(e1x1, e3x3 filters) whose outputs are concatenated: ``fireN/squeeze1x1``, ``fireN/expand1x1``,
``fireN/expand3x3``, ``fireN/concat`` (the Caffe model's names). The network ends in conv10
(1x1, 1000) and a global average pool, no fc. Every conv has a bias (Table 1 counts them).

Input 227x227 (the Caffe model's crop): Table 1 says 224x224 but lists conv1's output as 111x111,
which is what 227 gives ((227 - 7) / 2 + 1). Pools use Caffe's ceil mode.
v1.1: conv1 is 64 filters of 3x3/2 and the max pools move to after conv1, fire3 and fire5.
"""

from accelsim.workload.builder import NetworkBuilder, Tensor
from accelsim.workload.zoo import zoo_network

SOURCE = "Iandola et al., SqueezeNet, arXiv:1602.07360, 2016, Table 1"
SOURCE_11 = "Iandola et al., SqueezeNet, 2016; DeepScale/SqueezeNet release notes for SqueezeNet_v1.1"


def fire(b: NetworkBuilder, x: Tensor, name: str, s1x1: int, e1x1: int, e3x3: int, expect=None) -> Tensor:
    s = b.conv(f"{name}/squeeze1x1", x, out=s1x1, k=1)
    e1 = b.conv(f"{name}/expand1x1", s, out=e1x1, k=1)
    e3 = b.conv(f"{name}/expand3x3", s, out=e3x3, k=3, pad=1)
    return b.concat(f"{name}/concat", e1, e3, expect=expect)


def classifier(b: NetworkBuilder, x: Tensor, size: int) -> None:
    x = b.act("drop9", x)  # dropout 50%
    x = b.conv("conv10", x, out=1000, k=1, expect=(1000, size, size))
    b.global_pool("pool10", x, expect=(1000, 1, 1))


@zoo_network("squeezenet1.0", source=SOURCE, aliases=("squeezenet", "squeezenet-v1.0"),
             notes="Table 1: 1,248,424 parameters (weights + biases, before pruning) -- exactly these. "
             "227 input (Table 1's 111x111 conv1 output; the table's '224' is the nominal size). "
             "833M MACs (conv only; the v1.1 release notes quote 1.72 GFLOPS/image, their own op count).")
def squeezenet10(batch: int = 1, input_shape=None):
    b = NetworkBuilder("squeezenet1.0", input_shape or (3, 227, 227), batch=batch, source=SOURCE,
                       check_shapes=input_shape is None)
    x = b.conv("conv1", b.input, out=96, k=7, stride=2, expect=(96, 111, 111))
    x = b.pool("pool1", x, k=3, stride=2, ceil_mode=True, expect=(96, 55, 55))
    x = fire(b, x, "fire2", 16, 64, 64, expect=(128, 55, 55))
    x = fire(b, x, "fire3", 16, 64, 64, expect=(128, 55, 55))
    x = fire(b, x, "fire4", 32, 128, 128, expect=(256, 55, 55))
    x = b.pool("pool4", x, k=3, stride=2, ceil_mode=True, expect=(256, 27, 27))
    x = fire(b, x, "fire5", 32, 128, 128, expect=(256, 27, 27))
    x = fire(b, x, "fire6", 48, 192, 192, expect=(384, 27, 27))
    x = fire(b, x, "fire7", 48, 192, 192, expect=(384, 27, 27))
    x = fire(b, x, "fire8", 64, 256, 256, expect=(512, 27, 27))
    x = b.pool("pool8", x, k=3, stride=2, ceil_mode=True, expect=(512, 13, 13))
    x = fire(b, x, "fire9", 64, 256, 256, expect=(512, 13, 13))
    classifier(b, x, 13)
    return b.build()


@zoo_network("squeezenet1.1", source=SOURCE_11, aliases=("squeezenet-v1.1",),
             notes="Release notes: '2.4x less computation' than 1.0 (0.72 vs 1.72 GFLOPS/image, their own op "
             "count) and slightly fewer parameters. Here, at the Caffe models' 227 input: 388M vs 833M MACs (2.15x) "
             "and 1,235,496 vs 1,248,424 params (weights + biases); at 224 (torchvision) the MAC ratio is 2.35x.")
def squeezenet11(batch: int = 1, input_shape=None):
    b = NetworkBuilder("squeezenet1.1", input_shape or (3, 227, 227), batch=batch, source=SOURCE_11,
                       check_shapes=input_shape is None)
    x = b.conv("conv1", b.input, out=64, k=3, stride=2, expect=(64, 113, 113))
    x = b.pool("pool1", x, k=3, stride=2, ceil_mode=True, expect=(64, 56, 56))
    x = fire(b, x, "fire2", 16, 64, 64, expect=(128, 56, 56))
    x = fire(b, x, "fire3", 16, 64, 64, expect=(128, 56, 56))
    x = b.pool("pool3", x, k=3, stride=2, ceil_mode=True, expect=(128, 28, 28))
    x = fire(b, x, "fire4", 32, 128, 128, expect=(256, 28, 28))
    x = fire(b, x, "fire5", 32, 128, 128, expect=(256, 28, 28))
    x = b.pool("pool5", x, k=3, stride=2, ceil_mode=True, expect=(256, 14, 14))
    x = fire(b, x, "fire6", 48, 192, 192, expect=(384, 14, 14))
    x = fire(b, x, "fire7", 48, 192, 192, expect=(384, 14, 14))
    x = fire(b, x, "fire8", 64, 256, 256, expect=(512, 14, 14))
    x = fire(b, x, "fire9", 64, 256, 256, expect=(512, 14, 14))
    classifier(b, x, 14)
    return b.build()
