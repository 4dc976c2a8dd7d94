"""`accelsim run` output people read: the default table fits 120 columns (full detail with --wide
and in CSV), cycles are whole numbers, failed layers are counted in the table's footer, `--dataflow
all` notes a config's bypass choices, and without --dataflow a run uses the config's
default_dataflow (tpu_like, shidiannao_like, diannao_like run AlexNet with no failed layer)."""

import io

import numpy as np
import pandas as pd
import pytest
from clirun import run as _run
from clirun import stdout_of

import accelsim
from accelsim.cli.run_cmds import TABLE_WIDTH
from accelsim.mapping.kernels import cycles_of

TINY = """name: tiny
clock_mhz: 100
pe_array: {rows: 2, cols: 2}
energy: {table: eyeriss_isca16}
levels:
  dram: {}
  glb: {shared_capacity_words: 256}
  noc: {}
  rf: {capacity_words: {weights: 2, ifmap: 2, psum: 2}}
"""


@pytest.fixture(scope="module")
def lenet_all_csv():
    code, text = stdout_of(["run", "lenet5", "--dataflow", "all", "--format", "csv"])
    assert code == 0
    return pd.read_csv(io.StringIO(text))


def test_default_table_fits_120_columns_and_wide_has_every_column(capsys, lenet_all_csv):
    code, out, err = _run(capsys, ["run", "lenet5", "--dataflow", "all"])
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert max(map(len, lines)) <= TABLE_WIDTH
    assert lines[0].split() == ["layer", "type", "dataflow", "energy", "per_mac", "largest", "util", "cycles",
                                "mapping"]
    body = lines[1: 1 + len(lenet_all_csv)]
    for line, (_, row) in zip(body, lenet_all_csv.iterrows(), strict=True):
        cells = line.split()
        assert cells[0] == row.layer and cells[2] == row.dataflow
        assert cells[8] == f"{row.cycles:,}"  # cycles: whole numbers ("largest" is two cells: dram 64%)
        parts = {p: row[f"energy_{p}"] for p in ("dram", "glb", "noc", "rf", "mac")}
        top = max(parts, key=parts.get)
        assert cells[5:7] == [top, f"{parts[top] / row.energy:.0%}"]
        mapping = line[line.index(cells[9]):].rstrip()
        assert mapping == row.mapping or (mapping.endswith("...") and row.mapping.startswith(mapping[:-3]))
    code, wide, _ = _run(capsys, ["run", "lenet5", "--dataflow", "all", "--wide"])
    assert code == 0 and "energy_dram" in wide.splitlines()[0]
    assert all(m in wide for m in lenet_all_csv.mapping)  # whole mapping strings


def test_a_long_mapping_is_cut_to_fit():
    from accelsim.cli.run_cmds import narrow_table

    row = {"layer": "conv1", "type": "conv", "dataflow": "rs", "energy": 1.0, "energy_per_mac": 1.0,
           "energy_dram": 0.5, "energy_glb": 0.1, "energy_noc": 0.1, "energy_rf": 0.2, "energy_mac": 0.1,
           "utilization": 0.5, "cycles": 10, "mapping": "dram[" + " ".join(f"M{i}" for i in range(2, 60)) + "]"}
    text = narrow_table(pd.DataFrame([row]))
    assert max(map(len, text.splitlines())) <= TABLE_WIDTH and text.splitlines()[1].endswith("...")
    assert "dram 50%" in text


def test_dataflow_all_notes_the_bypass_and_points_to_the_equal_area_study(capsys, lenet_all_csv):
    code, out, _ = _run(capsys, ["run", "lenet5", "--dataflow", "all"])
    note = out[out.index("note: "):]
    assert "weights, which eyeriss_v1's GLB does not hold (bypass)" in note
    assert "reproduce eyeriss-isca16" in note
    per_mac = lenet_all_csv.groupby("dataflow", sort=False).apply(
        lambda g: g.energy.sum() / g.macs.sum(), include_groups=False)
    flagged = [d for d in per_mac.index if f" {d} (" in note]
    assert set(flagged) == {"os-c", "nlr"}  # the two at ~210 per MAC, over twice the best
    assert all(per_mac[d] > 2 * per_mac.min() for d in flagged)
    code, one, _ = _run(capsys, ["run", "lenet5"])  # one dataflow: nothing to compare, no note
    assert "note:" not in one


def test_failed_layers_are_counted_in_the_table_footer(tmp_path, capsys):
    hw = tmp_path / "tiny.yaml"
    hw.write_text(TINY)
    code, out, err = _run(capsys, ["run", "lenet-caffe", "--hw", str(hw)])
    failed = [line.split()[3] for line in err.strip().splitlines()]
    assert code == 2 and failed
    assert f"failed_layers: {len(failed)} ({', '.join(failed)}: no legal mapping, see stderr)" in out
    code, out, _ = _run(capsys, ["run", "lenet5"])
    assert code == 0 and "failed_layers: 0" in out


@pytest.mark.parametrize("hw, dataflow", [("tpu_like", None), ("shidiannao_like", "os-a"),
                                          ("diannao_like", "nlr")])
def test_run_without_dataflow_uses_the_configs_default(capsys, hw, dataflow):
    expect = accelsim.load_hw(hw).default_dataflow
    assert dataflow is None or expect == dataflow
    code, out, err = _run(capsys, ["run", "alexnet", "--hw", hw, "--format", "csv"])
    assert (code, err) == (0, "")
    frame = pd.read_csv(io.StringIO(out))
    assert len(frame) == 8 and set(frame.dataflow) == {expect}
    assert (frame.cycles == frame.cycles.round()).all()


def test_simulate_without_dataflow_uses_the_configs_default():
    net = accelsim.load_network("lenet5")
    r = accelsim.simulate(net, "shidiannao_like")
    assert r.dataflow == accelsim.load_hw("shidiannao_like").default_dataflow == "os-a"
    assert accelsim.simulate(net["c1"], "eyeriss_v1").dataflow == "rs"


def test_cycles_are_whole_numbers_at_the_source():
    f = np.ones((5, 8), dtype=np.int64)  # one DRAM tile
    glb = np.zeros((4, 3, 2), dtype=np.int64)
    glb[1, 0, 0] = 97  # 97 GLB words at 48 words per cycle: 3 cycles, not 2.02
    assert cycles_of(glb, 1, np.array([0.0, 48.0, 0.0]), f) == 3.0
    assert cycles_of(glb, 5, np.array([0.0, 48.0, 0.0]), f) == 5.0
    dram = np.zeros((4, 3, 2), dtype=np.int64)
    dram[0, 0, 0] = 97  # one DRAM tile: load, then compute: 1 + 97 / 48 = 3.02 -> 4 cycles
    assert cycles_of(dram, 1, np.array([48.0, 0.0, 0.0]), f) == 4.0
    f[4, 0] = 4  # four DRAM tiles: max(1 + 97 / 192, 97 / 48 + 1 / 4) = 2.27 -> 3 cycles
    assert cycles_of(dram, 1, np.array([48.0, 0.0, 0.0]), f) == 3.0
    r = accelsim.simulate("lenet5", "tpu_like")  # DRAM bandwidth-limited
    assert all(isinstance(layer.cycles, int) for layer in r.layers) and isinstance(r.cycles, int)
    assert r.cycles == sum(layer.cycles for layer in r.layers)


def test_names_index_networks_and_results_and_reuse():
    net = accelsim.load_network("lenet5")
    assert net["c1"].name == "c1" and net[0].name == "c1"
    with pytest.raises(KeyError, match="no layer 'c9'"):
        net["c9"]
    r = accelsim.simulate(net, "eyeriss_v1")
    c1 = r["c1"]
    assert c1.layer == "c1"
    assert c1.reuse("rf", "weights") == c1.reuse("rf", 0) == c1.macs / c1.accesses("rf", 0)
    assert c1.accesses("dram", "psum") == int(c1.counts[0, 2].sum())
    with pytest.raises(KeyError, match="unknown datatype 'weight'"):
        c1.reuse("rf", "weight")
    with pytest.raises(KeyError, match="no mapped layer 'c9'"):
        r["c9"]


def test_energy_breakdown_is_level_by_datatype_and_sums_to_the_energy():
    r = accelsim.simulate("lenet5", "eyeriss_v1")
    b = r.energy_breakdown()
    assert list(b.index) == ["dram", "glb", "noc", "rf", "mac", "total"]
    assert list(b.columns) == ["weights", "ifmap", "psum", "mac", "total"]
    assert b.attrs["energy_unit"] == "normalized"
    assert np.isclose(b.loc["total", "total"], r.energy_total, rtol=1e-12)
    frame = r.to_frame()
    for t in ("weights", "ifmap", "psum"):
        assert np.isclose(b.loc["total", t], frame[f"energy_{t}"].sum(), rtol=1e-12)
    for lv in ("dram", "glb", "noc", "rf", "mac"):
        assert np.isclose(b.loc[lv, "total"], frame[f"energy_{lv}"].sum(), rtol=1e-12)
    assert b.loc["mac", ["weights", "ifmap", "psum"]].sum() == 0
    assert np.isclose(b.loc["dram", "weights"], sum(x.energy[0, 0] for x in r.layers), rtol=1e-12)
