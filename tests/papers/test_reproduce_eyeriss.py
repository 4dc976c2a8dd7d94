"""`accelsim reproduce` (issue 6): the Eyeriss papers' results from the shipped model and configs,
checked against what the papers state. Each study is computed once per module; the CLI run of
each is compared with it byte for byte (a second, independent run: determinism)."""

import io
import re

import pandas as pd
import pytest

import accelsim
from accelsim.cli import main
from accelsim.papers import eyeriss
from accelsim.report.render import render


@pytest.fixture(scope="module")
def isca16():
    return eyeriss.isca16()


@pytest.fixture(scope="module")
def jssc17():
    return eyeriss.jssc17()


def _energy(frame, layers, batch):
    sel = frame[(frame.layers == layers) & (frame.batch == batch)]
    return dict(zip(sel.dataflow, sel.energy_per_mac, strict=True))


# Each other dataflow's energy per MAC over RS's at equal parallelism with the paper's accounting,
# as this build computes it (pinned to 0.005), next to the paper's own band (ISCA 2016 abstract and
# Sec. VII: 1.4x-2.5x in CONV layers; at least 1.3x in FC layers at batch >= 16). A value outside
# the band is a gap, reported as one in docs/validation.md, not a reason to move the band.
PINNED = {
    ("conv", 1): {"ws": 1.596, "os-a": 2.198, "os-b": 1.398, "os-c": 2.197, "nlr": 2.444},
    ("conv", 16): {"ws": 1.566, "os-a": 2.202, "os-b": 1.362, "os-c": 2.201, "nlr": 2.460},
    ("fc", 16): {"ws": 1.344, "os-a": 1.674, "os-b": 1.377, "os-c": 1.362, "nlr": 1.417},
    ("conv", 64): {"ws": 1.564, "os-a": 2.198, "os-b": 1.358, "os-c": 2.197, "nlr": 2.457},
    ("fc", 64): {"ws": 1.668, "os-a": 2.381, "os-b": 1.782, "os-c": 1.748, "nlr": 1.854},
}
PAPER_BAND = {"conv": (1.4, 2.5), "fc": (1.3, None)}
# the pinned values outside the paper's band: the gaps docs/validation.md reports
KNOWN_GAPS = {("conv", 1, "os-b"), ("conv", 16, "os-b"), ("conv", 64, "os-b")}


def test_isca16_uses_equal_parallelism_and_the_papers_accounting(isca16):
    assert (isca16.min_utilization == eyeriss.ISCA16_MIN_UTILIZATION).all()
    assert eyeriss.ISCA16_MIN_UTILIZATION == 1.0 and (isca16.fill_writes == "free").all()
    # RS keeps most of the array busy (its energy-only optimum used 14% of the PEs in CONV layers);
    # OS-A cannot spread an FC layer (one output pixel of one channel): one PE of 256
    u = isca16.set_index(["dataflow", "layers", "batch"]).pe_utilization
    assert u[("rs", "conv", 16)] > 0.75 and u[("os-a", "fc", 16)] == 1 / 256
    assert isca16.set_index(["dataflow", "layers", "batch"]).below_target[("os-a", "fc", 16)] == "fc6 fc7 fc8"


@pytest.mark.parametrize("layers,batch", list(PINNED), ids=lambda x: str(x))
def test_isca16_ratios_to_rs_pinned_next_to_the_papers_band(isca16, layers, batch):
    energy = _energy(isca16, layers, batch)
    assert min(energy, key=energy.get) == "rs"  # RS lowest (the paper's claim) in every pinned case
    low, high = PAPER_BAND[layers]
    for dataflow, pinned in PINNED[(layers, batch)].items():
        ratio = energy[dataflow] / energy["rs"]
        assert abs(ratio - pinned) < 0.005, (dataflow, ratio)
        inside = ratio >= low and (high is None or ratio <= high)
        assert inside == ((layers, batch, dataflow) not in KNOWN_GAPS), (dataflow, ratio, (low, high))


def test_isca16_rs_breakdown_puts_the_largest_share_where_the_paper_does(isca16):
    # ISCA 2016 Fig. 10: in CONV layers RS spends most of its energy in the RF (its data
    # movement is kept there); Fig. 11: in FC layers DRAM dominates
    rs = isca16[(isca16.dataflow == "rs") & (isca16.batch == 16)].set_index("layers")
    levels = ["dram", "glb", "noc", "rf", "mac"]
    conv = {lv: rs.loc["conv", f"energy_per_mac_{lv}"] for lv in levels}
    fc = {lv: rs.loc["fc", f"energy_per_mac_{lv}"] for lv in levels}
    assert max(conv, key=conv.get) == "rf" and max(fc, key=fc.get) == "dram"


def test_isca16_energy_parts_add_up_and_match_the_batch_trend(isca16):
    levels = isca16[[f"energy_per_mac_{lv}" for lv in ("dram", "glb", "noc", "rf", "mac")]].sum(axis=1)
    dtypes = isca16[[f"energy_per_mac_{t}" for t in ("weights", "ifmap", "psum")]].sum(axis=1) + 1.0
    assert (abs(levels - isca16.energy_per_mac) < 1e-9 * isca16.energy_per_mac).all()
    assert (abs(dtypes - isca16.energy_per_mac) < 1e-9 * isca16.energy_per_mac).all()
    # a larger batch reuses each FC weight more: fewer DRAM accesses per MAC for every dataflow
    fc = isca16[isca16.layers == "fc"].pivot(index="dataflow", columns="batch", values="dram_accesses_per_mac")
    assert (fc[1] > fc[16]).all() and (fc[16] > fc[64]).all()


# ours / Table V per AlexNet CONV layer (batch 4), pinned to 0.001. Issue 15's acceptance: active
# PEs within 5% and latency within 20%; the latencies outside 20% are gaps docs/validation.md
# explains (the chip's PEs compute 66-91% of the time, the model's every cycle), not a reason to
# widen the band.
JSSC_ACTIVE_PES = {"conv1": 1.0, "conv2": 1.037, "conv3": 1.0, "conv4": 1.0, "conv5": 1.0}
JSSC_LATENCY = {"conv1": 0.668, "conv2": 0.792, "conv3": 0.813, "conv4": 0.782, "conv5": 0.914}
JSSC_LATENCY_GAPS = {"conv1", "conv2", "conv4"}


def test_jssc17_alexnet_active_pes_within_5_percent_and_latency_pinned(jssc17):
    # JSSC 2017 Table V (batch 4): per-layer active PEs (154, 135, 156, 156, 156) and latency
    rows = jssc17[(jssc17.network == "alexnet") & jssc17.layer.str.startswith("conv")]
    assert sorted(rows.layer.unique()) == ["conv1", "conv2", "conv3", "conv4", "conv5"]
    pes = rows[rows.metric == "active_pes"].set_index("layer")
    assert pes.published.to_dict() == {"conv1": 154, "conv2": 135, "conv3": 156, "conv4": 156, "conv5": 156}
    for layer, pinned in JSSC_ACTIVE_PES.items():
        assert abs(pes.ratio[layer] - pinned) < 1e-3, (layer, pes.ratio[layer])
        assert abs(pes.ratio[layer] - 1) <= 0.05, (layer, pes.ratio[layer])
    latency = rows[rows.metric == "latency_ms"].set_index("layer").ratio
    for layer, pinned in JSSC_LATENCY.items():
        assert abs(latency[layer] - pinned) < 1e-3, (layer, latency[layer])
        assert (abs(latency[layer] - 1) <= 0.20) == (layer not in JSSC_LATENCY_GAPS), (layer, latency[layer])
    macs = rows[rows.metric == "mmacs"].ratio  # the workload itself: the table's MACs, to 0.1%
    assert ((macs - 1).abs() < 1e-3).all()


def test_jssc17_totals_report_alexnet_and_vgg16(jssc17):
    # our totals (today's values, pinned) next to the paper's (Table V / VI), not the paper's with itself
    totals = jssc17[jssc17.layer == "total (CONV)"].set_index(["network", "metric"])
    ours = totals.ours
    assert ours[("alexnet", "frames_per_s")] == pytest.approx(4e3 / ours[("alexnet", "latency_ms")])  # batch 4
    assert ours[("alexnet", "latency_ms")] == pytest.approx(90.346265, rel=1e-6)  # paper: 115.3 ms (with DRAM stalls)
    assert 0.7 < totals.loc[("alexnet", "latency_ms"), "ratio"] < 1.3
    # documented gap (docs/validation.md): DRAM per MAC above the paper's (no compression in the model)
    assert ours[("alexnet", "dram_accesses_per_mac")] == pytest.approx(0.004072, rel=1e-3)  # paper: 0.0029
    assert ours[("vgg16", "dram_accesses_per_mac")] == pytest.approx(0.004791, rel=1e-3)  # paper: 0.0035


def test_jssc17_latency_what_if_serializes_dram_words_at_the_link_rate(jssc17):
    """The sensitivity table of docs/validation.md: compute, then every DRAM word at w words per
    core cycle. Hand check on conv1: Table V's 5.0 MB = 2.5 M words at 90 MHz x 64 bit / 16 bit /
    200 MHz = 1.8 words per core cycle take 2.5e6 / 1.8 / 200e3 = 6.944 ms after the compute."""
    what_if = eyeriss.jssc17_latency_what_if().set_index(["network", "layer"])
    c1 = what_if.loc[("alexnet", "conv1")]
    assert c1.serial_chip_dram_ms - c1.compute_ms == pytest.approx(6.9444, abs=1e-3)
    assert c1.serial_core_link_ms - c1.compute_ms == pytest.approx(4.675032e6 / 2 / 4 / 200e3, rel=1e-6)
    latency = jssc17[jssc17.metric == "latency_ms"].set_index(["network", "layer"]).ours
    for key, row in what_if.iterrows():
        assert row.model_ms == pytest.approx(latency[key], rel=1e-12)  # the reproduction's own latency
        assert row.compute_ms <= row.model_ms < row.serial_core_link_ms < row.serial_link_ms
    alex = what_if.loc["alexnet"].drop("total (CONV)")
    # the finding the doc reports: the chip's own DRAM traffic serialized at the link clock puts every
    # AlexNet layer within 10% of Table V; VGG-16 stays under half the chip's latency however it is timed
    assert ((alex.serial_chip_dram_ratio - 1).abs() < 0.10).all(), alex.serial_chip_dram_ratio
    vgg = what_if.loc[("vgg16", "total (CONV)")]
    assert max(vgg.model_ratio, vgg.serial_core_link_ratio, vgg.serial_link_ratio, vgg.serial_chip_dram_ratio) < 0.5


# JSSC 2017 Table V, AlexNet CONV at batch 4: GLB and DRAM data accessed (MB). Today's values with
# the paper's beside them; the gaps are documented in docs/validation.md (the chip's own mapping,
# RLC compression of DRAM traffic, which the model does not have)
GLB_DRAM_MB = {  # layer: (glb ours, glb paper, dram ours, dram paper)
    "conv1": (20.95932, 18.5, 4.675032, 5.0),
    "conv2": (39.909888, 77.6, 5.426688, 4.0),
    "conv3": (41.001984, 50.2, 5.05344, 3.0),
    "conv4": (30.621696, 37.4, 3.919872, 2.1),
    "conv5": (20.414464, 24.9, 2.613248, 1.3),
}  # conv4/conv5 GLB: since DRAM stalls count in cycles, the EDP optimum holds smaller GLB tiles
#    (26.46 / 17.64 MB before)


def test_jssc17_glb_and_dram_megabytes_today_next_to_the_paper(jssc17):
    rows = jssc17[jssc17.network == "alexnet"].set_index(["layer", "metric"])
    for layer, (glb, glb_paper, dram, dram_paper) in GLB_DRAM_MB.items():
        assert rows.loc[(layer, "glb_mb"), "published"] == glb_paper
        assert rows.loc[(layer, "dram_mb"), "published"] == dram_paper
        assert rows.loc[(layer, "glb_mb"), "ours"] == pytest.approx(glb, rel=1e-6), layer
        assert rows.loc[(layer, "dram_mb"), "ours"] == pytest.approx(dram, rel=1e-6), layer
        # never below what any mapping must move (each weight and used ifmap word once, each ofmap
        # word once); conv1's strip-mined mapping moves less than the chip did (4.68 vs 5.0 MB)
        net = accelsim.load_network("alexnet", batch=4)
        assert rows.loc[(layer, "dram_mb"), "ours"] >= eyeriss._compulsory_dram_words(net.layer(layer)) * 2e-6


def test_reproduce_isca16_csv_columns_and_determinism(isca16, capsys):
    assert main(["reproduce", "eyeriss-isca16", "--format", "csv"]) == 0
    out = capsys.readouterr().out
    frame = pd.read_csv(io.StringIO(out))
    assert len(frame) == 6 * 2 * 3
    for col in ("dataflow", "layers", "batch", "energy_per_mac", "published_energy_per_mac",
                "energy_per_mac_dram", "energy_per_mac_glb", "energy_per_mac_noc", "energy_per_mac_rf",
                "energy_per_mac_mac"):
        assert col in frame.columns, col
    assert out == render(isca16, "csv")  # an independent second run, byte for byte


def test_reproduce_jssc17_table_and_determinism(jssc17, capsys, tmp_path):
    out = tmp_path / "jssc17.csv"
    assert main(["reproduce", "eyeriss-jssc17", "--format", "csv", "--out", str(out)]) == 0
    assert out.read_text() == render(jssc17, "csv")
    assert main(["reproduce", "eyeriss-tpu"]) == 2
    assert "invalid choice: 'eyeriss-tpu'" in capsys.readouterr().err


def test_reproduce_tables_show_ours_next_to_the_papers_statements(isca16, jssc17, capsys, monkeypatch):
    monkeypatch.setattr(eyeriss, "isca16", lambda: isca16)
    monkeypatch.setattr(eyeriss, "jssc17", lambda: jssc17)
    assert main(["reproduce", "eyeriss-isca16"]) == 0
    text = capsys.readouterr().out
    assert "energy per MAC (normalized, MAC = 1)" in text and "1.4x-2.5x in CONV layers" in text
    rs_conv16 = isca16[(isca16.dataflow == "rs") & (isca16.layers == "conv") & (isca16.batch == 16)]
    assert f"{rs_conv16.energy_per_mac.item():.3f}" in text
    assert "RS energy per MAC by level" in text and re.search(r"\n\s*dram\s+glb\s+noc\s+rf\s+mac\n", text)
    assert "PE utilization (active PEs / all PEs, weighted by MACs)" in text and "fill writes free" in text
    assert main(["reproduce", "eyeriss-jssc17"]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Eyeriss v1 chip (JSSC 2017 Table V") and "total (CONV)" in text and "34.7" in text
    # the latency sensitivity table follows, labelled as not the model's result
    assert "not the model's result" in text and "90 MHz link clock" in text and "serial_chip_dram_ms" in text


def test_isca16_rs_per_layer_agrees_with_nn_dataflows_fig10_reproduction():
    # nn_dataflow (the peer RS mapper) pins its results for the ISCA 2016 setup (Fig. 10: RS,
    # AlexNet, batch 16, 256 PEs, 128 KB GLB, 512 B RF) to per-layer ALU/DRAM/RF energies; an
    # independent implementation of the same paper. Where accelsim's DRAM traffic is lower (conv1,
    # conv2: the GLB keeps the rows sliding windows share), conv1 reads exactly what it must.
    frame = eyeriss.isca16_rs_layers().set_index(["layer", "part"])
    layers = ["conv1", "conv2", "conv3", "conv4", "conv5", "fc6", "fc7", "fc8"]
    assert list(frame.index.get_level_values(0).unique()) == layers
    for layer in layers:
        assert abs(frame.loc[(layer, "rf"), "ratio"] - 1) < 0.03, layer
        assert abs(frame.loc[(layer, "mac"), "ours"] - frame.loc[(layer, "mac"), "nn_dataflow"]) < 0.01, layer
    for layer in layers[2:]:
        assert abs(frame.loc[(layer, "dram"), "ratio"] - 1) < 0.02, layer
    conv1 = frame.loc[("conv1", "dram")]
    assert conv1.dram_words == conv1.compulsory_dram_words and conv1.ratio < 1
    assert frame.loc[("conv2", "dram"), "ratio"] < 1
