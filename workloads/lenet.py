"""LeNet-5, two versions.

``lenet5``: LeCun, Bottou, Bengio, Haffner, "Gradient-based learning applied to document
recognition", Proc. IEEE 1998, Section II-B: 32x32 grey input; C1 6@5x5, S2 2x2 subsampling,
C3 16@5x5, S4, C5 120@5x5, F6 84, output 10. C3 is written fully connected (the paper's sparse
connection table uses 1,516 of the 2,400 weights); subsampling as average pooling.

``lenet-caffe``: the LeNet of Caffe's MNIST example (the one the Eyeriss tutorial tabulates:
28x28 input, conv 20@5x5 and 50@5x5, 2x2 max pools, fc 500, fc 10): 431k weights, 2.3M MACs.
"""

from accelsim.workload.builder import NetworkBuilder
from accelsim.workload.zoo import zoo_network

SOURCE_1998 = "LeCun et al., Gradient-based learning applied to document recognition, Proc. IEEE 1998"
SOURCE_CAFFE = "Caffe MNIST example LeNet (BVLC); Eyeriss tutorial table: 431k weights, 2.3M MACs"


@zoo_network("lenet5", source=SOURCE_1998, aliases=("lenet-5", "lenet-1998"),
             notes="The 1998 original with C3 fully connected: 61,706 params (the paper's 60,000 uses the "
             "sparse C3 table) and 416,520 MACs. The tutorial's 431k / 2.3M describe lenet-caffe.")
def lenet5(batch: int = 1, input_shape=None):
    b = NetworkBuilder("lenet5", input_shape or (1, 32, 32), batch=batch, source=SOURCE_1998,
                       check_shapes=input_shape is None)
    x = b.conv("c1", b.input, out=6, k=5, expect=(6, 28, 28))
    x = b.pool("s2", x, k=2, op="avg", expect=(6, 14, 14))
    x = b.conv("c3", x, out=16, k=5, expect=(16, 10, 10))
    x = b.pool("s4", x, k=2, op="avg", expect=(16, 5, 5))
    x = b.conv("c5", x, out=120, k=5, expect=(120, 1, 1))
    x = b.fc("f6", x, out=84)
    b.fc("output", x, out=10)
    return b.build()


@zoo_network("lenet-caffe", source=SOURCE_CAFFE, aliases=("lenet",),
             notes="Caffe's MNIST LeNet: 430,500 weights + 580 biases (tutorial: 431k weights, conv 26k, "
             "fc 406k); 2,293,000 MACs (tutorial 2.3M; conv 1,888,000 ~ 1.9M, fc 405,000 ~ 405k).")
def lenet_caffe(batch: int = 1, input_shape=None):
    b = NetworkBuilder("lenet-caffe", input_shape or (1, 28, 28), batch=batch, source=SOURCE_CAFFE,
                       check_shapes=input_shape is None)
    x = b.conv("conv1", b.input, out=20, k=5, expect=(20, 24, 24))
    x = b.pool("pool1", x, k=2, expect=(20, 12, 12))
    x = b.conv("conv2", x, out=50, k=5, expect=(50, 8, 8))
    x = b.pool("pool2", x, k=2, expect=(50, 4, 4))
    x = b.act("relu1", b.fc("ip1", x, out=500))
    b.fc("ip2", x, out=10)
    return b.build()
