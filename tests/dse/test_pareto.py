"""Pareto extraction against brute-force dominance on random frames."""

import numpy as np
import pandas as pd
import pytest

import accelsim
from accelsim.dse import non_dominated, pareto
from accelsim.errors import UsageError
from accelsim.report.pareto_plot import front_2d


def _brute(values):
    n = len(values)
    keep = []
    for i in range(n):
        dominated = any(all(values[j] <= values[i]) and any(values[j] < values[i]) for j in range(n) if j != i)
        keep.append(not dominated)
    return np.array(keep, dtype=bool)


@pytest.mark.parametrize("seed", range(30))
@pytest.mark.parametrize("k", [2, 3])
def test_non_dominated_equals_brute_force(seed, k):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 60))
    values = rng.integers(0, 6, size=(n, k)).astype(float)  # small integers: many ties and duplicates
    assert np.array_equal(non_dominated(values), _brute(values))
    if k == 2:
        assert np.array_equal(front_2d(values[:, 0], values[:, 1]), _brute(values))


def test_pareto_groups_by_network_and_batch_and_skips_failed_rows():
    rng = np.random.default_rng(1)
    n = 80
    frame = pd.DataFrame({"network": rng.choice(["a", "b"], n), "batch": rng.choice([1, 4], n),
                          "energy": rng.integers(0, 9, n).astype(float), "cycles": rng.integers(0, 9, n).astype(float),
                          "area_mm2": rng.random(n), "failed_layers": rng.choice([0, 0, 0, 1], n)})
    frame.loc[3, "energy"] = np.nan
    got = pareto(frame, objectives=("energy", "cycles", "area_mm2"))
    assert got.dtype == bool and list(got.index) == list(frame.index)
    for (_, _), rows in frame.groupby(["network", "batch"]):
        ok = rows[(rows.failed_layers == 0) & rows.energy.notna()]
        expect = pd.Series(False, index=rows.index)
        expect[ok.index] = _brute(ok[["energy", "cycles", "area_mm2"]].to_numpy())
        assert got[rows.index].equals(expect)
    assert not got[3]


def test_pareto_rejects_unknown_objectives():
    frame = pd.DataFrame({"energy": [1.0], "cycles": [2.0]})
    with pytest.raises(UsageError, match="unknown pareto objective 'power'"):
        pareto(frame, objectives=("energy", "power"))
    with pytest.raises(UsageError, match="not a column"):
        pareto(frame, objectives=("energy", "area_mm2"))


def test_dse_pareto_is_public():
    assert accelsim.dse.pareto is pareto
