"""Zoo, classic half: totals against the published numbers (citations inline). Where a quoted
number is rounded, the exact value of the entry is asserted AND that it rounds to the quote."""

import pytest

import accelsim
from accelsim.errors import ShapeError
from accelsim.workload import NetworkBuilder


def _net(name):
    return accelsim.load_network(name)


def _split(net):
    convs = [x for x in net.mapped_layers if x.type != "fc"]
    fcs = [x for x in net.mapped_layers if x.type == "fc"]
    return convs, fcs


def _rounds_to(value, quoted, unit):
    return round(value / unit, 1 if quoted != int(quoted) else 0) == quoted


def test_lenet_caffe_matches_the_tutorial():
    # Eyeriss tutorial (seeds 003, "Summary of Popular DNNs"): LeNet-5 431k weights, 2.3M MACs;
    # conv 26k weights / 1.9M MACs, fc 406k / 405k; 28x28 input, 2 conv + 2 fc layers.
    net = _net("lenet-caffe")
    convs, fcs = _split(net)
    assert (len(convs), len(fcs), net.input_shape) == (2, 2, (1, 28, 28))
    assert net.weights == 430_500 and net.params == 431_080 and round(net.params / 1e3) == 431
    assert round(sum(x.weights for x in convs) / 1e3) == 26 and sum(x.weights for x in convs) == 25_500
    assert net.macs == 2_293_000 and _rounds_to(net.macs, 2.3, 1e6)
    assert sum(x.macs for x in convs) == 1_888_000 and _rounds_to(sum(x.macs for x in convs), 1.9, 1e6)
    assert sum(x.weights for x in fcs) == 405_000 and sum(x.macs for x in fcs) == 405_000


def test_lenet5_1998():
    # LeCun et al. 1998, Sec. II-B: C1 156 params, C5 48,120, F6 10,164 (C3 here fully connected:
    # 2,416 instead of the paper's sparse 1,516).
    layers = {x.name: x for x in _net("lenet5").mapped_layers}
    assert layers["c1"].params == 156 and layers["c5"].params == 48_120 and layers["f6"].params == 10_164
    assert layers["c3"].params == 16 * 6 * 25 + 16


def test_alexnet_matches_the_tutorial():
    # Eyeriss tutorial: AlexNet 61M weights, 724M MACs; conv1 34k params / 105M MACs, conv2 307k /
    # 224M, conv3 885k / 150M; conv total 2.3M weights / 666M MACs; fc 58.6M.
    net = _net("alexnet")
    layers = {x.name: x for x in net.mapped_layers}
    assert net.macs == 724_406_816 and round(net.macs / 1e6) == 724
    assert net.weights == 60_954_656 and round(net.weights / 1e6) == 61
    assert (layers["conv1"].macs, layers["conv2"].macs, layers["conv3"].macs) == (105_415_200, 223_948_800,
                                                                                  149_520_384)
    assert [round(layers[n].macs / 1e6) for n in ("conv1", "conv2", "conv3")] == [105, 224, 150]
    assert [round(layers[n].params / 1e3) for n in ("conv1", "conv2", "conv3")] == [35, 307, 885]
    convs, fcs = _split(net)
    assert sum(x.macs for x in convs) == 665_784_864 and round(sum(x.macs for x in convs) / 1e6) == 666
    assert round(sum(x.weights for x in fcs) / 1e5) / 10 == 58.6
    # the tutorial's table of conv shapes: (R, M, C per group, stride)
    assert [(x.R, x.M * x.G, x.C, x.stride[0]) for x in convs] == [
        (11, 96, 3, 4), (5, 256, 48, 1), (3, 384, 256, 1), (3, 384, 192, 1), (3, 256, 192, 1)]


def test_alexnet_single_tower_doubles_the_grouped_layers():
    grouped = {x.name: x for x in _net("alexnet").mapped_layers}
    single = {x.name: x for x in _net("alexnet-single").mapped_layers}
    for n in ("conv2", "conv4", "conv5"):
        assert single[n].macs == 2 * grouped[n].macs
    for n in ("conv1", "conv3", "fc6"):
        assert single[n].macs == grouped[n].macs


@pytest.mark.parametrize("name, params_m", [("vgg11", 133), ("vgg13", 133), ("vgg16", 138), ("vgg19", 144)])
def test_vgg_parameters_match_table_2(name, params_m):
    # Simonyan & Zisserman, ICLR 2015, Table 2: 133, 133, 138, 144 million parameters
    assert round(_net(name).params / 1e6) == params_m


def test_vgg16_matches_the_tutorial():
    # Eyeriss tutorial: VGG-16 138M weights / 15.5G MACs; conv 14.7M / 15.3G, fc 124M / 124M; 13 conv
    # layers with weights (the tutorial's "16 CONV" counts differently) and 3 fc.
    net = _net("vgg16")
    convs, fcs = _split(net)
    assert (len(convs), len(fcs)) == (13, 3)
    assert net.weights == 138_344_128 and round(net.weights / 1e6) == 138
    assert net.macs == 15_470_264_320 and round(net.macs / 1e8) / 10 == 15.5
    assert round(sum(x.weights for x in convs) / 1e5) / 10 == 14.7
    assert round(sum(x.macs for x in convs) / 1e8) / 10 == 15.3
    assert round(sum(x.weights for x in fcs) / 1e6) == 124


def test_googlenet_matches_the_tutorial_weights_and_explains_the_macs():
    # Eyeriss tutorial: GoogLeNet v1 7.0M weights (conv 6.0M, fc 1M), 1.43G MACs. The entry's MACs are
    # 10.6% higher; its notes say so (the test pins the explained value).
    net = _net("googlenet")
    convs, fcs = _split(net)
    assert net.weights == 6_990_272 and round(net.weights / 1e5) / 10 == 7.0
    assert round(sum(x.weights for x in convs) / 1e5) / 10 == 6.0 and sum(x.weights for x in fcs) == 1_024_000
    notes = next(e.notes for e in accelsim.list_networks() if e.name == "googlenet")
    assert net.macs == 1_582_671_872 and round(net.macs / 1.43e9 - 1, 3) == 0.107 and "10.6%" in notes
    assert len(convs) == 57 and len(fcs) == 1
    names = {x.name for x in net.mapped_layers}
    assert {"inception_3a/5x5_reduce", "inception_4e/pool_proj", "loss3/classifier"} <= names


def test_overfeat_fast_matches_the_tutorial_table():
    # Eyeriss tutorial summary: OverFeat (fast) 146M weights (conv 16M, fc 130M), 2.8G MACs (conv 2.67G)
    net = _net("overfeat-fast")
    convs, fcs = _split(net)
    assert net.weights == 145_909_792 and round(net.weights / 1e6) == 146
    assert round(sum(x.weights for x in convs) / 1e6) == 16 and round(sum(x.weights for x in fcs) / 1e6) == 130
    assert net.macs == 2_801_403_904 and round(net.macs / 1e8) / 10 == 2.8
    assert round(sum(x.macs for x in convs) / 1e7) / 100 == 2.67


def test_depthwise_separable_example_of_the_notes():
    # Seeds: M = N = 128, Dk = 3, Df = 64: 147,456 standard-conv weights vs 17,536 separable
    assert _net("dsconv-standard").weights == 3 * 3 * 128 * 128 == 147_456
    assert _net("dsconv-separable").weights == 3 * 3 * 128 + 128 * 128 == 17_536
    assert _net("dsconv-separable").macs * 8 < _net("dsconv-standard").macs


def test_a_wrong_entry_fails_with_a_shape_error_naming_the_layer():
    b = NetworkBuilder("bad-alexnet", (3, 227, 227))
    x = b.conv("conv1", b.input, out=96, k=11, stride=4, expect=(96, 55, 55))
    x = b.pool("pool1", x, k=3, stride=2)
    with pytest.raises(ShapeError, match="conv2"):
        b.conv("conv2", x, out=256, k=5, pad=1, groups=2, expect=(256, 27, 27))  # pad should be 2


def test_overfeat_accurate_matches_the_papers_and_the_tutorial_header():
    # OverFeat Table 4: accurate model 144M parameters, 5.4G connections; the Eyeriss tutorial's
    # OverFeat slide header quotes the same 144M / 5.4G
    net = _net("overfeat-accurate")
    assert net.weights == 144_643_872 and net.weights // 10**6 == 144
    assert net.macs == 5_355_446_784 and round(net.macs / 1e8) / 10 == 5.4
    assert [x.name for x in net.mapped_layers][-3:] == ["fc7", "fc8", "fc9"]


def test_zfnet_follows_figure_3_of_the_paper():
    # Zeiler & Fergus Fig. 3: 110x110x96 after conv1, 26x26x256 after conv2, 13x13 for conv3-5
    net = _net("zfnet")
    shapes = {x.name: (x.M, x.E, x.F) for x in net.mapped_layers}
    assert shapes["conv1"] == (96, 110, 110) and shapes["conv2"] == (256, 26, 26)
    assert shapes["conv3"] == (384, 13, 13) and shapes["conv5"] == (256, 13, 13)
    assert net.layer("fc6").C * net.layer("fc6").H * net.layer("fc6").W == 6 * 6 * 256
    assert net.weights == 62_347_040 and net.biases == 96 + 256 + 384 + 384 + 256 + 4096 + 4096 + 1000


@pytest.mark.parametrize("k", [128, 192, 256, 384])
def test_alphago_policy_network_weights_follow_the_methods_section(k):
    # Silver et al. 2016, Methods: 48 planes, conv1 k@5x5, 11 x k@3x3, a 1x1 conv to one plane, 19x19
    net = _net(f"alphago-k{k}")
    assert net.weights == 48 * k * 25 + 11 * k * k * 9 + k
    assert len(net.mapped_layers) == 13 and all((x.E, x.F) == (19, 19) for x in net.mapped_layers)
    assert net.macs == 361 * net.weights


def test_dcgan_generator_doubles_the_resolution_at_every_transposed_conv():
    # Radford et al. 2016 Fig. 1: 4x4x1024 -> 8x8x512 -> 16x16x256 -> 32x32x128 -> 64x64x3
    net = _net("dcgan-generator")
    tconvs = [x for x in net.mapped_layers if x.transposed]
    assert [(x.M, x.E, x.F) for x in tconvs] == [(512, 8, 8), (256, 16, 16), (128, 32, 32), (3, 64, 64)]
    # useful MACs of a transposed conv: every input pixel meets every filter tap once
    assert sum(x.macs for x in tconvs) == sum(x.C * x.M * x.R * x.S * x.H * x.W for x in tconvs)
    assert net.macs == 100 * 16384 + sum(x.macs for x in tconvs) == 640_614_400


def test_inception_v3_matches_the_reference_implementation():
    # torchvision Inception3(aux_logits=False): 23,834,568 parameters, 5.71 GFLOPS (multiply-adds)
    # at 299x299; its parameters include BatchNorm's scale and shift (two per conv output channel)
    net = _net("inception_v3")
    convs, fcs = _split(net)
    bn_params = 2 * sum(x.G * x.M for x in convs)
    assert net.weights + net.biases + bn_params == 23_834_568
    assert len(convs) == 94 and net.biases == 1000
    assert net.macs == 5_713_216_096 and round(net.macs / 1e7) / 100 == 5.71
    grid = {x.name: (x.E, x.F) for x in convs}
    assert grid["Mixed_5d.branch_pool"] == (35, 35) and grid["Mixed_6e.branch7x7dbl_5"] == (17, 17)
    assert grid["Mixed_7c.branch3x3dbl_3b"] == (8, 8)
    assert (net.layer("Mixed_6b.branch7x7_2").R, net.layer("Mixed_6b.branch7x7_2").S) == (1, 7)
