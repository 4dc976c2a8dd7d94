"""SCALE-Sim topology CSV: loop-nest round trips of zoo networks, SCALE-Sim's own conventions
(trailing comma, depthwise 'DP' rows, no padding) and the layers it cannot express."""

import math

import pytest

import accelsim
from accelsim.errors import WorkloadError
from accelsim.workload import NetworkBuilder, scalesim
from accelsim.workload.files import read_network_file

ZOO = ["lenet5", "resnet18", "resnext50-32x4d", "squeezenet1.0", "densenet121",
       "mobilenet-v1", "shufflenet-v1", "pyramidnet110-a48", "alexnet"]


def _zoo(name):
    try:
        return accelsim.load_network(name)
    except WorkloadError:
        pytest.skip(f"zoo entry {name} is not registered yet")


def _signature(net):
    return [(layer.name, layer.nest) for layer in net.mapped_layers]


@pytest.mark.parametrize("name", ZOO)
def test_zoo_networks_round_trip_the_loop_nest(tmp_path, name):
    net = _zoo(name)
    path = tmp_path / f"{name}.csv"
    path.write_text(scalesim.topology_text(net))
    back = read_network_file(path)
    assert _signature(back) == _signature(net)
    assert back.macs == net.macs


def _scalesim_ofmap(h, r, u):
    """SCALE-Sim's ofmap size (scalesim topology_utils): ceil((ifmap - filter + stride) / stride)."""
    return math.ceil((h - r + u) / u)


def test_rows_end_with_a_comma_and_hold_the_rows_the_layer_reads():
    lines = scalesim.topology_text(_zoo("resnet18")).splitlines()
    assert lines[0] == ("Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, "
                        "Num Filter, Strides,")
    assert all(line.endswith(",") for line in lines)
    # conv1: 224 + 2*3 padding = 230 rows, but the 112 windows of stride 2 read only 111*2 + 7 = 229;
    # with 230, SCALE-Sim would count ceil((230 - 7 + 2) / 2) = 113 outputs
    assert lines[1] == "conv1, 229, 229, 7, 7, 3, 64, 2,"
    assert _scalesim_ofmap(230, 7, 2) == 113


@pytest.mark.parametrize("name", ["resnet18", "squeezenet1.0", "alexnet"])
def test_scalesim_sizes_every_exported_ofmap_as_we_do(name):
    for line in scalesim.topology_text(_zoo(name)).splitlines()[1:]:
        label, h, w, r, s, _, _, u = (c.strip() for c in line.split(",")[:-1])
        layer = _zoo(name).layer(label.split("_g")[0].removesuffix("_DP"))
        assert (_scalesim_ofmap(int(h), int(r), int(u)), _scalesim_ofmap(int(w), int(s), int(u))) == \
            (layer.E, layer.F), label


def test_depthwise_and_grouped_conventions():
    b = NetworkBuilder("g", (16, 9, 9))
    x = b.dwconv("dw", b.input, k=3, pad=1, multiplier=2)
    b.conv("grp", x, out=8, k=1, groups=4)
    text = scalesim.topology_text(b.build())
    assert text.splitlines()[1:] == ["dw_DP, 11, 11, 3, 3, 16, 2, 1,"] + [
        f"grp_g{i}of4, 9, 9, 1, 1, 8, 2, 1," for i in range(4)]


def test_hand_written_topology_with_scalesim_conventions(tmp_path):
    # Rows in the style of SCALE-Sim's topologies/conv_nets (no padding column, trailing comma);
    # a 'DP' row is depthwise (SCALE-Sim runs Channels one-channel layers).
    (tmp_path / "t.csv").write_text(
        "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n"
        "Conv1, 224, 227, 11, 11, 3, 96, 4,\n"
        "\n"
        "Conv2_DP, 31, 31, 5, 5, 96, 1, 1,\n"
        "FC1, 6, 6, 6, 6, 256, 4096, 1,\n"
        "Conv1, 13, 13, 3, 3, 8, 8, 1,\n")
    net = read_network_file(tmp_path / "t.csv", batch=2)
    conv1, dw, fc, again = net.mapped_layers
    # SCALE-Sim: ceil((224 - 11 + 4) / 4) = 55 rows (floor would give 54), ceil((227 - 11 + 4) / 4) = 55 cols
    assert (conv1.E, conv1.F, conv1.padding) == (55, 55, (0, 3, 0, 0))
    assert conv1.macs == 2 * 96 * 3 * 55 * 55 * 11 * 11
    assert (dw.name, dw.type, dw.G, dw.C, dw.M, dw.E) == ("Conv2", "dwconv", 96, 1, 1, 27)
    assert (fc.kind, fc.C, fc.M) == ("fc", 256, 4096)
    assert again.name == "Conv1@2"
    assert net.batch == 2 and net.name == "t"


def test_gemm_topology(tmp_path):
    (tmp_path / "mnk.csv").write_text("Layer, M, N, K,\nproj, 1, 64, 128,\nffn, 196, 3072, 768,\n")
    proj, ffn = read_network_file(tmp_path / "mnk.csv").mapped_layers
    assert (proj.kind, proj.C, proj.M, proj.macs) == ("fc", 128, 64, 128 * 64)
    assert (ffn.kind, ffn.H, ffn.W, ffn.C, ffn.M, ffn.macs) == ("conv", 196, 1, 768, 3072, 196 * 768 * 3072)


@pytest.mark.parametrize("build, words", [
    (lambda b: b.conv("atrous", b.input, out=4, k=3, pad=2, dilation=2), "atrous: SCALE-Sim has no dilation"),
    (lambda b: b.conv("wide", b.input, out=4, k=3, stride=(2, 1)), "wide: SCALE-Sim has one stride"),
    (lambda b: b.conv("DPconv", b.input, out=4, k=3), "names containing 'DP' as depthwise"),
])
def test_layers_scalesim_cannot_express_are_refused(build, words):
    b = NetworkBuilder("x", (4, 12, 12))
    build(b)
    with pytest.raises(WorkloadError, match=words):
        scalesim.topology_text(b.build())
