"""AlexNet (Krizhevsky, Sutskever, Hinton, "ImageNet Classification with Deep Convolutional Neural
Networks", NIPS 2012, Figure 2 and Section 3.5).

227x227x3 input (the paper's text says 224, but its 55x55 conv1 output needs 227:
(227 - 11) / 4 + 1 = 55). The original network runs on two GPUs: conv2, conv4 and conv5 only see
the channels of their own tower, written here as groups=2 (``alexnet``); conv3 and the fc layers
connect across towers. LRN after conv1 and conv2, overlapping 3x3/2 max pools. Every conv and fc
has a bias. ``alexnet-single`` is the same network on one tower (no grouping)."""

from accelsim.workload.builder import NetworkBuilder
from accelsim.workload.zoo import zoo_network

SOURCE = "Krizhevsky et al., NIPS 2012, Fig. 2; Eyeriss tutorial (61M weights, 724M MACs)"


def _alexnet(name: str, groups: int, batch: int, input_shape=None):
    b = NetworkBuilder(name, input_shape or (3, 227, 227), batch=batch, source=SOURCE, check_shapes=input_shape is None)
    x = b.conv("conv1", b.input, out=96, k=11, stride=4, expect=(96, 55, 55))
    x = b.norm("norm1", b.act("relu1", x))
    x = b.pool("pool1", x, k=3, stride=2, expect=(96, 27, 27))
    x = b.conv("conv2", x, out=256, k=5, pad=2, groups=groups, expect=(256, 27, 27))
    x = b.norm("norm2", b.act("relu2", x))
    x = b.pool("pool2", x, k=3, stride=2, expect=(256, 13, 13))
    x = b.act("relu3", b.conv("conv3", x, out=384, k=3, pad=1, expect=(384, 13, 13)))
    x = b.act("relu4", b.conv("conv4", x, out=384, k=3, pad=1, groups=groups, expect=(384, 13, 13)))
    x = b.act("relu5", b.conv("conv5", x, out=256, k=3, pad=1, groups=groups, expect=(256, 13, 13)))
    x = b.pool("pool5", x, k=3, stride=2, expect=(256, 6, 6))
    x = b.act("relu6", b.fc("fc6", x, out=4096))
    x = b.act("relu7", b.fc("fc7", x, out=4096))
    b.fc("fc8", x, out=1000)
    return b.build()


@zoo_network("alexnet", source=SOURCE, aliases=("alexnet-grouped",),
             notes="Two-tower original (groups=2 on conv2, conv4, conv5), 227 input. 60,965,224 params "
             "(60,954,656 weights + 10,568 biases; the tutorial's 61M); 724,406,816 MACs (tutorial 724M): "
             "conv1 105,415,200, conv2 223,948,800, conv3 149,520,384 (tutorial 105M, 224M, 150M), "
             "conv total 665,784,864, fc 58,621,952.")
def alexnet(batch: int = 1, input_shape=None):
    return _alexnet("alexnet", 2, batch, input_shape)


@zoo_network("alexnet-single", source=SOURCE, aliases=("alexnet-1tower",),
             notes="AlexNet's channel counts on one tower (no grouping): conv2, conv4, conv5 see every "
             "input channel, so they hold twice the weights and MACs of the grouped original.")
def alexnet_single(batch: int = 1, input_shape=None):
    return _alexnet("alexnet-single", 1, batch, input_shape)


# Opt-in densities (``load_network("alexnet", density_profile="eyeriss-jssc17")``): the zeros the
# Eyeriss v1 chip measured in each CONV layer's input feature map on AlexNet (Chen et al., IEEE
# JSSC 2017, Table V, "zeros in ifmap": 0.01 / 38.7 / 72.5 / 79.3 / 77.6 % for CONV1-5). The
# paper gives no ofmap figure; a layer's ofmap density is taken as the next CONV layer's ifmap
# density (its output after ReLU and, for conv1/conv2, LRN and max pooling, which can only lower
# the zero fraction: an upper bound on the ofmap's density). conv5's ofmap: conv5's own ifmap
# figure (no published number). Weights and the fc layers: dense (no published figure).
DENSITY_PROFILES = {
    "eyeriss-jssc17": {
        "conv1": {"ifmap": 0.9999, "ofmap": 0.613},
        "conv2": {"ifmap": 0.613, "ofmap": 0.275},
        "conv3": {"ifmap": 0.275, "ofmap": 0.207},
        "conv4": {"ifmap": 0.207, "ofmap": 0.224},
        "conv5": {"ifmap": 0.224, "ofmap": 0.224},
    },
}
