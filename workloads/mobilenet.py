"""MobileNet v1 (Howard, Zhu, Chen, Kalenichenko, Wang, Weyand, Andreetto, Adam, "MobileNets: Efficient
Convolutional Neural Networks for Mobile Vision Applications", arXiv:1704.04861, 2017, Tables 1 and 2).

224x224 input, width multiplier 1.0. conv1 3x3/2 (32) then 13 depthwise-separable blocks, each a
3x3 depthwise conv (``.dw``) and a 1x1 pointwise conv (``.pw``), named after their Table 1 rows
(conv2_1 .. conv6), then a 7x7 average pool and fc 1000. Every conv is followed by BatchNorm and
ReLU (not listed), so convs have no bias; the fc has one.

Table 1 marks the last depthwise conv "s2", but its input and output are both 7x7 in the same
table; it is stride 1 here, as in the released models. Padding is 1 on every side (TensorFlow's
'SAME' pads stride-2 layers bottom/right only; output sizes and MACs are the same).
"""

from accelsim.workload.builder import NetworkBuilder, Tensor
from accelsim.workload.zoo import zoo_network

SOURCE = "Howard et al., MobileNets, arXiv:1704.04861, 2017, Tables 1 and 2"

#: (Table 1 row, pointwise output channels, depthwise stride, output size)
BLOCKS = (
    ("conv2_1", 64, 1, 112), ("conv2_2", 128, 2, 56),
    ("conv3_1", 128, 1, 56), ("conv3_2", 256, 2, 28),
    ("conv4_1", 256, 1, 28), ("conv4_2", 512, 2, 14),
    ("conv5_1", 512, 1, 14), ("conv5_2", 512, 1, 14), ("conv5_3", 512, 1, 14),
    ("conv5_4", 512, 1, 14), ("conv5_5", 512, 1, 14), ("conv5_6", 1024, 2, 7),
    ("conv6", 1024, 1, 7),
)


def separable(b: NetworkBuilder, x: Tensor, name: str, out: int, stride: int, size: int) -> Tensor:
    """Depthwise 3x3 (stride) then pointwise 1x1 (``out`` filters); both without bias."""
    x = b.dwconv(f"{name}.dw", x, k=3, stride=stride, pad=1, bias=False, expect=(x.c, size, size))
    return b.conv(f"{name}.pw", x, out=out, k=1, bias=False, expect=(out, size, size))


@zoo_network("mobilenet_v1", source=SOURCE, aliases=("mobilenet", "mobilenet-v1", "mobilenet_v1_1.0_224"),
             notes="Tables 1/2: 4.2M params, 569M mult-adds (1.0 MobileNet-224). Here 4,210,088 params = "
             "4,209,088 weights + 1,000 fc biases (BatchNorm excluded), and 568,740,352 MACs including the fc's 1.0M.")
def mobilenet_v1(batch: int = 1, input_shape=None):
    b = NetworkBuilder("mobilenet_v1", input_shape or (3, 224, 224), batch=batch, source=SOURCE,
                       check_shapes=input_shape is None)
    x = b.conv("conv1", b.input, out=32, k=3, stride=2, pad=1, bias=False, expect=(32, 112, 112))
    for name, out, stride, size in BLOCKS:
        x = separable(b, x, name, out, stride, size)
    x = b.global_pool("avgpool", x, expect=(1024, 1, 1))  # Table 1's 7x7 average pool at 224
    b.fc("fc", x, out=1000)
    return b.build()
