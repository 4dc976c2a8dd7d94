"""The DCGAN generator (Radford, Metz, Chintala, "Unsupervised Representation Learning with Deep
Convolutional Generative Adversarial Networks", ICLR 2016, Figure 1): z (100) is projected by a
fully connected layer to 4x4x1024, then four 5x5 stride-2 transposed convolutions give 8x8x512,
16x16x256, 32x32x128 and 64x64x3. PyTorch ConvTranspose2d semantics with padding 2 and
output_padding 1 (out = 2 x in). Batch norm follows every layer but the last (no conv bias there)."""

from accelsim.workload.builder import NetworkBuilder
from accelsim.workload.zoo import zoo_network

SOURCE = "Radford et al., DCGAN, ICLR 2016, Fig. 1 (LSUN generator)"


@zoo_network("dcgan-generator", source=SOURCE, aliases=("dcgan",),
             notes="Fig. 1: project (fc 100 -> 16,384, no bias: BN follows) then tconv 5x5/2 x4. "
             "18,851,200 weights + 3 biases; 640,614,400 MACs = 1,638,400 (fc) + 638,976,000 (tconvs), "
             "counting each tconv's useful MACs C*M*R*S*H*W (zero-inserted taps are not MACs).")
def dcgan_generator(batch: int = 1):
    b = NetworkBuilder("dcgan-generator", (100, 1, 1), batch=batch, source=SOURCE)
    x = b.fc("project", b.input, out=4 * 4 * 1024, bias=False)
    x = b.reshape("reshape", x, (1024, 4, 4))
    x = b.norm("bn0", x)
    x = b.tconv("tconv1", x, out=512, k=5, stride=2, pad=2, output_padding=1, bias=False, expect=(512, 8, 8))
    x = b.tconv("tconv2", b.norm("bn1", x), out=256, k=5, stride=2, pad=2, output_padding=1, bias=False,
                expect=(256, 16, 16))
    x = b.tconv("tconv3", b.norm("bn2", x), out=128, k=5, stride=2, pad=2, output_padding=1, bias=False,
                expect=(128, 32, 32))
    b.tconv("tconv4", b.norm("bn3", x), out=3, k=5, stride=2, pad=2, output_padding=1, expect=(3, 64, 64))
    return b.build()
