"""DenseNet-121 (Huang, Liu, van der Maaten, Weinberger, "Densely Connected Convolutional Networks",
CVPR 2017, Table 1; DenseNet-BC with growth rate k = 32, compression 0.5, 224x224 input).

conv 7x7/2 (2k = 64) -> 3x3/2 max pool -> dense blocks of 6, 12, 24, 16 layers, each layer a
1x1 conv (4k = 128) then a 3x3 conv (k = 32) whose output is concatenated onto the block's
running feature map -> transition layers (1x1 conv halving the channels, 2x2/2 average pool)
between blocks -> global average pool -> fc 1000.

Names are torchvision's ``densenet121`` (features.conv0, features.pool0,
features.denseblock1.denselayer1.conv1 / .conv2, features.transition1.conv / .pool, classifier);
each layer's concatenation is ``...denselayerI.concat``. BN-ReLU before every conv is not listed.
Convs have no bias; the classifier has one.
"""

from accelsim.workload.builder import NetworkBuilder, Tensor
from accelsim.workload.zoo import zoo_network

SOURCE = "Huang et al., Densely Connected Convolutional Networks, CVPR 2017, Table 1 (DenseNet-BC, k=32)"


def dense_block(b: NetworkBuilder, x: Tensor, name: str, layers: int, growth: int, bn_size: int) -> Tensor:
    for i in range(1, layers + 1):
        lname = f"{name}.denselayer{i}"
        y = b.conv(f"{lname}.conv1", x, out=bn_size * growth, k=1, bias=False)
        y = b.conv(f"{lname}.conv2", y, out=growth, k=3, pad=1, bias=False)
        x = b.concat(f"{lname}.concat", x, y)
    return x


def densenet(blocks=(6, 12, 24, 16), growth: int = 32, init: int = 64, bn_size: int = 4, batch: int = 1,
             name: str = "densenet121", input_shape=None):
    b = NetworkBuilder(name, input_shape or (3, 224, 224), batch=batch, source=SOURCE, check_shapes=input_shape is None)
    x = b.conv("features.conv0", b.input, out=init, k=7, stride=2, pad=3, bias=False, expect=(init, 112, 112))
    x = b.pool("features.pool0", x, k=3, stride=2, pad=1, expect=(init, 56, 56))
    for i, layers in enumerate(blocks, start=1):
        x = dense_block(b, x, f"features.denseblock{i}", layers, growth, bn_size)
        b.check(x, (x.c, 56 >> (i - 1), 56 >> (i - 1)), f"features.denseblock{i}")  # Table 1's output sizes
        if i < len(blocks):
            x = b.conv(f"features.transition{i}.conv", x, out=x.c // 2, k=1, bias=False)
            x = b.pool(f"features.transition{i}.pool", x, k=2, stride=2, op="avg")
    x = b.global_pool("avgpool", x, expect=(1024, 1, 1))
    b.fc("classifier", x, out=1000)
    return b.build()


@zoo_network("densenet121", source=SOURCE, aliases=("densenet-121",),
             notes="Table 1 layout at 224 input. The quoted ~8.0M params include BatchNorm's scale/shift (83,648; "
             "torchvision's 7,978,856); here params = weights + classifier bias = 7,895,208, BatchNorm excluded. "
             "2.83G MACs (conv + fc), as torchvision lists (2.83 GFLOPS, counted as multiply-adds); the ~2.9G "
             "sometimes quoted is 2% higher.")
def densenet121(batch: int = 1, input_shape=None):
    return densenet(batch=batch, input_shape=input_shape)
