"""`accelsim run`: the CSV contract, byte-identical repeated runs, JSON totals, failures reported at
the end with exit 2 while the rest of the network still runs."""

import io
import json

import pandas as pd
import pytest
from clirun import run as _run
from clirun import stdout_of

from accelsim.mapping.dataflows import ALL_NAMES

CONTRACT = ["network", "layer", "type", "N", "G", "M", "C", "H", "W", "R", "S", "E", "F", "stride", "pad",
            "dilation", "params", "macs", "hw", "dataflow", "energy", "energy_unit", "energy_per_mac",
            "energy_dram", "energy_glb", "energy_noc", "energy_rf", "energy_mac", "cycles", "utilization",
            "dram_reads_weights", "glb_writes_ifmap", "noc_transfers_psum", "reuse_rf_weights", "mapping"]


@pytest.fixture(scope="module")
def alexnet_all_csv():
    return stdout_of(["run", "alexnet", "--hw", "eyeriss_v1", "--dataflow", "all", "--format", "csv"])


def test_alexnet_all_dataflows_one_row_per_layer_per_dataflow(alexnet_all_csv):
    code, text = alexnet_all_csv
    assert code == 0
    frame = pd.read_csv(io.StringIO(text))
    assert list(frame.columns[:18]) == CONTRACT[:18]
    assert set(CONTRACT) <= set(frame.columns)
    assert len(frame) == 8 * len(ALL_NAMES)
    assert list(frame["dataflow"].unique()) == list(ALL_NAMES)
    assert list(frame[frame.dataflow == "rs"]["layer"]) == ["conv1", "conv2", "conv3", "conv4", "conv5", "fc6",
                                                          "fc7", "fc8"]
    assert (frame["energy_unit"] == "normalized").all() and (frame["hw"] == "eyeriss_v1").all()
    parts = frame[["energy_dram", "energy_glb", "energy_noc", "energy_rf", "energy_mac"]].sum(axis=1)
    assert ((parts - frame["energy"]).abs() <= 1e-9 * frame["energy"]).all()
    # Eyeriss tutorial: conv1 105M, conv2 224M MACs (the run reports the layer's MACs)
    rs = frame[frame.dataflow == "rs"].set_index("layer")
    assert rs.loc["conv1", "macs"] == 105_415_200 and rs.loc["conv2", "macs"] == 223_948_800


def test_two_runs_are_byte_identical(alexnet_all_csv, capsys):
    code, again, _ = _run(capsys, ["run", "alexnet", "--hw", "eyeriss_v1", "--dataflow", "all", "--format", "csv"])
    assert code == 0 and again == alexnet_all_csv[1]


def test_json_has_totals_and_units(capsys):
    code, out, _ = _run(capsys, ["run", "lenet-caffe", "--hw", "eyeriss_v1", "--format", "json", "--batch", "2"])
    doc = json.loads(out)
    assert code == 0 and doc["meta"]["energy_unit"] == "normalized" and doc["meta"]["batch"] == 2
    assert doc["meta"]["totals"][0]["macs"] == 2 * 2_293_000
    assert [r["layer"] for r in doc["rows"]] == ["conv1", "conv2", "ip1", "ip2"]


def test_out_file_is_written_atomically(tmp_path, capsys):
    out = tmp_path / "r.csv"
    code, text, _ = _run(capsys, ["run", "lenet-caffe", "--hw", "eyeriss_v1", "--format", "csv", "--out", str(out)])
    assert code == 0 and text == "" and out.read_text().startswith("network,layer,type,N,")
    assert [p.name for p in tmp_path.iterdir()] == ["r.csv"]


def test_layer_without_a_mapping_is_named_and_the_rest_still_runs(tmp_path, capsys):
    # a 2x2-PE array with tiny spads: RS puts all R on PE rows, so a 5-row filter cannot fold
    hw = tmp_path / "tiny.yaml"
    hw.write_text("""name: tiny
clock_mhz: 100
pe_array: {rows: 2, cols: 2}
energy: {table: eyeriss_isca16}
levels:
  dram: {}
  glb: {shared_capacity_words: 256}
  noc: {}
  rf: {capacity_words: {weights: 2, ifmap: 2, psum: 2}}
""")
    code, out, err = _run(capsys, ["run", "lenet-caffe", "--hw", str(hw), "--format", "csv"])
    assert code == 2
    lines = err.strip().splitlines()
    assert lines and all(line.startswith("accelsim: error: layer ") for line in lines)
    assert "Traceback" not in err
    mapped = pd.read_csv(io.StringIO(out)) if out else pd.DataFrame(columns=["layer"])
    failed = {line.split()[3] for line in lines}
    assert failed and failed.isdisjoint(set(mapped["layer"]))
    assert failed | set(mapped["layer"]) == {"conv1", "conv2", "ip1", "ip2"}


def test_unknown_dataflow_and_objective_exit_2(capsys):
    code, _, err = _run(capsys, ["run", "alexnet", "--dataflow", "rowstat"])
    assert code == 2 and "unknown dataflow 'rowstat'" in err and err.count("\n") == 1
    code, _, err = _run(capsys, ["run", "alexnet", "--objective", "speed"])
    assert code == 2 and "speed" in err and err.count("\n") == 1
