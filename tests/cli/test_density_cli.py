"""`accelsim run --density` and densities in layer tables: sparse columns next to the dense ones;
bad densities exit 2 with one line naming the problem."""

import io

import pandas as pd
import pytest

from accelsim.cli import main


@pytest.mark.parametrize("value, word", [("ifmap=-0.2", "[0, 1]"), ("weights=1.01", "[0, 1]"), ("ofmap=nan", "[0, 1]"),
                                         ("activations=0.3", "unknown datatype"), ("ifmap:0.3", "DATATYPE=VALUE")])
def test_bad_density_exits_2_with_one_line(capsys, value, word):
    assert main(["run", "alexnet", "--density", value]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and word in err and "Traceback" not in err


def test_bad_density_in_a_layer_table_exits_2(tmp_path, capsys):
    path = tmp_path / "t.yaml"
    path.write_text("name: t\nlayers:\n  - {name: c1, M: 4, C: 3, H: 8, W: 8, R: 3, S: 3, weight_density: -1}\n")
    assert main(["run", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "weight_density" in err and "c1" in err


def test_run_with_density_reports_dense_and_sparse(tmp_path, capsys):
    path = tmp_path / "t.yaml"
    path.write_text("name: t\nlayers:\n  - {name: c1, M: 8, C: 4, H: 10, W: 10, R: 3, S: 3}\n")
    assert main(["run", str(path), "--hw", "eyeriss_v1", "--density", "ifmap=0.3,ofmap=0.4", "--format", "csv"]) == 0
    frame = pd.read_csv(io.StringIO(capsys.readouterr().out))
    row = frame.iloc[0]
    assert row.ifmap_density == 0.3 and row.ofmap_density == 0.4 and row.weights_density == 1.0
    assert row.energy < row.energy_dense  # ifmap gating saves filter reads and MACs
    assert row.dram_words < row.dram_words_dense  # RLC on the ifmap and ofmap at DRAM
    assert row.macs_gated == pytest.approx(0.7 * row.macs)
    assert row.metadata_words > 0
    assert main(["run", str(path), "--hw", "eyeriss_v1", "--format", "csv"]) == 0
    dense = pd.read_csv(io.StringIO(capsys.readouterr().out))
    assert "energy_dense" not in dense.columns and dense.energy[0] == row.energy_dense
