"""VGG-11/13/16/19 (Simonyan, Zisserman, "Very Deep Convolutional Networks for Large-Scale Image
Recognition", ICLR 2015, Table 1 configurations A, B, D, E and Table 2 parameter counts:
133M, 133M, 138M, 144M). 224x224 input, 3x3 convs with pad 1, 2x2/2 max pools, fc 4096, 4096,
1000; every conv and fc has a bias. Names: conv<stage>_<i>, pool<stage>, fc6..fc8."""

from accelsim.workload.builder import NetworkBuilder
from accelsim.workload.zoo import zoo_network

SOURCE = "Simonyan & Zisserman, ICLR 2015, Table 1 (configs A, B, D, E) and Table 2"
CONFIGS = {  # convs per stage; stage widths 64, 128, 256, 512, 512
    "vgg11": (1, 1, 2, 2, 2),
    "vgg13": (2, 2, 2, 2, 2),
    "vgg16": (2, 2, 3, 3, 3),
    "vgg19": (2, 2, 4, 4, 4),
}
WIDTHS = (64, 128, 256, 512, 512)


def _vgg(name: str, batch: int, input_shape=None):
    b = NetworkBuilder(name, input_shape or (3, 224, 224), batch=batch, source=SOURCE, check_shapes=input_shape is None)
    x = b.input
    size = 224
    for stage, (n, width) in enumerate(zip(CONFIGS[name], WIDTHS, strict=True), start=1):
        for i in range(1, n + 1):
            x = b.act(f"relu{stage}_{i}", b.conv(f"conv{stage}_{i}", x, out=width, k=3, pad=1,
                                                  expect=(width, size, size)))
        size //= 2
        x = b.pool(f"pool{stage}", x, k=2, expect=(width, size, size))
    x = b.act("relu6", b.fc("fc6", x, out=4096))
    x = b.act("relu7", b.fc("fc7", x, out=4096))
    b.fc("fc8", x, out=1000)
    return b.build()


@zoo_network("vgg11", source=SOURCE, aliases=("vgg-11", "vgg-a"),
             notes="Config A: 132,863,336 params (Table 2: 133M); 7.61G MACs.")
def vgg11(batch: int = 1, input_shape=None):
    return _vgg("vgg11", batch, input_shape)


@zoo_network("vgg13", source=SOURCE, aliases=("vgg-13", "vgg-b"),
             notes="Config B: 133,047,848 params (Table 2: 133M); 11.3G MACs.")
def vgg13(batch: int = 1, input_shape=None):
    return _vgg("vgg13", batch, input_shape)


@zoo_network("vgg16", source=SOURCE, aliases=("vgg-16", "vgg-d"),
             notes="Config D: 138,357,544 params = 138,344,128 weights + 13,416 biases (Table 2 and the "
             "tutorial: 138M); 15,470,264,320 MACs (tutorial 15.5G; conv 15.35G ~ 15.3G, fc 123.6M ~ 124M).")
def vgg16(batch: int = 1, input_shape=None):
    return _vgg("vgg16", batch, input_shape)


@zoo_network("vgg19", source=SOURCE, aliases=("vgg-19", "vgg-e"),
             notes="Config E: 143,667,240 params (Table 2: 144M); 19.6G MACs.")
def vgg19(batch: int = 1, input_shape=None):
    return _vgg("vgg19", batch, input_shape)
