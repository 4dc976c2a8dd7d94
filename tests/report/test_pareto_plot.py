"""The pareto plot: the ringed, joined points are exactly the 2-D front; units on the axes."""

import numpy as np
import pandas as pd
import pytest

import accelsim
from accelsim.errors import UsageError
from accelsim.report.pareto_plot import draw_pareto, pareto_figure


def _frame(seed=0, n=40):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"network": "net", "batch": 1, "dataflow": rng.choice(["rs", "ws", "os-a"], n),
                         "energy": rng.integers(1, 20, n).astype(float), "energy_unit": "normalized",
                         "cycles": rng.integers(1, 20, n).astype(float), "area_mm2": rng.random(n) + 1,
                         "failed_layers": rng.choice([0, 0, 0, 2], n)})


@pytest.mark.parametrize("seed", range(5))
def test_ringed_points_are_the_front_of_the_complete_rows(seed):
    frame = _frame(seed)
    ax = draw_pareto(frame)
    ok = frame[frame.failed_layers == 0]
    v = ok[["energy", "cycles"]].to_numpy()
    brute = {tuple(p) for p in v if not any((q <= p).all() and (q < p).any() for q in v)}
    rings = ax.collections[-1].get_offsets()
    assert {tuple(p) for p in np.asarray(rings)} == brute
    line = ax.get_lines()[0]
    assert {tuple(p) for p in np.column_stack(line.get_data())} == brute
    assert ax.get_xlabel() == "energy (normalized, MAC = 1)" and ax.get_ylabel() == "cycles"


def test_other_axes_and_panels():
    frame = pd.concat([_frame(1).assign(network="a"), _frame(2).assign(network="b", batch=4)])
    fig = accelsim.plot("pareto", frame, x="area_mm2", y="energy")
    axes = [ax for ax in fig.axes if ax.get_visible()]
    assert [ax.get_title() for ax in axes] == ["a, batch 1", "b, batch 4"]
    assert axes[0].get_xlabel() == "area (mm$^2$)" and axes[0].get_ylabel() == "energy (normalized, MAC = 1)"
    with pytest.raises(UsageError, match="column 'power'"):
        pareto_figure(frame, x="power")
    with pytest.raises(UsageError, match="has no option"):
        accelsim.plot("pareto", frame, by="level")
