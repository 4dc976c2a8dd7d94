"""The sparsity plot: dense and sparse bars per layer with the values of the result's columns."""

import numpy as np
import pytest

import accelsim
from accelsim.cli import main
from accelsim.errors import UsageError
from accelsim.workload.layer import Layer


@pytest.fixture(scope="module")
def result():
    net = accelsim.workload.network.Network(
        name="two", input_shape=(4, 12, 12),
        layers=(Layer(name="c1", M=8, C=4, H=12, W=12, R=3, S=3), Layer(name="c2", M=8, C=8, H=10, W=10, R=3, S=3)))
    return accelsim.simulate(net, "eyeriss_v1", density="ifmap=0.3,ofmap=0.5")


def test_bars_show_dense_and_sparse_columns(result):
    fig = accelsim.plot("sparsity", result)
    frame = result.to_frame()
    axes = fig.axes[:3]
    for a, (sparse, dense) in zip(axes, (("energy", "energy_dense"), ("dram_words", "dram_words_dense"),
                                         ("cycles", "cycles_dense")), strict=True):
        heights = [p.get_height() for p in a.patches]
        assert np.allclose(heights[:2], frame[dense]) and np.allclose(heights[2:4], frame[sparse])
    meta = [p.get_height() for p in axes[1].patches][4:6]
    assert np.allclose(meta, frame.dram_metadata_words) and min(meta) > 0


def test_sparsity_plot_needs_sparse_columns():
    dense = accelsim.simulate(Layer(name="c", M=4, C=4, H=8, W=8, R=3, S=3), "eyeriss_v1")
    with pytest.raises(UsageError, match="energy_dense"):
        accelsim.plot("sparsity", dense)


def test_cli_plot_sparsity(tmp_path, capsys):
    out = tmp_path / "s.svg"
    assert main(["plot", "sparsity", "lenet5", "--density", "ifmap=0.4", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"<?xml")
    assert main(["plot", "sparsity", "lenet5", "--density", "ifmap=2", "--out", str(out)]) == 2
    assert "[0, 1]" in capsys.readouterr().err
