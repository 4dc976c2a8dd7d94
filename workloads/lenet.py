"""LeNet-5 (LeCun, Bottou, Bengio, Haffner, "Gradient-based learning applied to document
recognition", Proc. IEEE 1998). 32x32 grey input; C1 6@5x5, S2 2x2, C3 16@5x5 (full connection
here; the paper's sparse C3 table has 1,516 weights instead of 2,400), S4, C5 120@5x5, F6 84, output 10.
"""

from accelsim.workload.builder import NetworkBuilder
from accelsim.workload.zoo import zoo_network


@zoo_network("lenet5", source="LeCun et al., Proc. IEEE 1998; Eyeriss tutorial (431k weights, 2.3M MACs)",
             aliases=("lenet", "lenet-5"))
def lenet5(batch: int = 1):
    b = NetworkBuilder("lenet5", (1, 32, 32), batch=batch, source="LeCun et al., Proc. IEEE 1998")
    x = b.conv("conv1", b.input, out=6, k=5, expect=(6, 28, 28))
    x = b.pool("pool1", x, k=2)
    x = b.conv("conv2", x, out=16, k=5, expect=(16, 10, 10))
    x = b.pool("pool2", x, k=2)
    x = b.fc("fc1", x, out=120)
    x = b.fc("fc2", x, out=84)
    b.fc("fc3", x, out=10)
    return b.build()
