"""Point expansion: grid, zip, ranges and seeded random samples, against hand-written lists."""

import pytest
from dsehelp import base_spec, nets  # noqa: F401 (fixtures)

from accelsim.dse.space import axes_of, grid, grid_size, point_at, random_indices
from accelsim.dse.spec import HwSweep, Range, load_spec
from accelsim.errors import ConfigError


def test_grid_is_the_product_in_vary_order_last_fastest():
    hw = HwSweep(base="x", vary={"a": [1, 2], "b": [3, 4, 5]})
    assert grid(axes_of(hw)) == [{"a": 1, "b": 3}, {"a": 1, "b": 4}, {"a": 1, "b": 5},
                                 {"a": 2, "b": 3}, {"a": 2, "b": 4}, {"a": 2, "b": 5}]


def test_zip_varies_together_and_keeps_its_place():
    hw = HwSweep(base="x", vary={"r": [8, 12, 16, 32], "g": [1, 2], "c": [8, 14, 16, 32]}, zip=[["r", "c"]])
    pts = grid(axes_of(hw))
    assert len(pts) == 8 == grid_size(axes_of(hw))
    assert pts[:3] == [{"r": 8, "c": 8, "g": 1}, {"r": 8, "c": 8, "g": 2}, {"r": 12, "c": 14, "g": 1}]
    assert [(p["r"], p["c"]) for p in pts[::2]] == [(8, 8), (12, 14), (16, 16), (32, 32)]


def test_the_issue_example_has_16_points():
    hw = HwSweep(base="eyeriss_v1", vary={"pe_array.rows": [8, 12, 16, 32], "pe_array.cols": [8, 14, 16, 32],
                                         "levels.glb.shared_capacity_words": [16384, 55296, 131072, 262144]},
                 zip=[["pe_array.rows", "pe_array.cols"]])
    assert grid_size(axes_of(hw)) == 16


@pytest.mark.parametrize("rng, values", [
    ({"range": [16384, 262144], "scale": "log", "steps": 5}, [16384, 32768, 65536, 131072, 262144]),
    ({"range": [8, 32], "steps": 4}, [8, 16, 24, 32]),
    ({"range": [100, 200], "steps": 3}, [100, 150, 200]),
    ({"range": [1.0, 2.0], "steps": 5}, [1.0, 1.25, 1.5, 1.75, 2.0]),
    ({"range": [1, 10], "scale": "log", "steps": 3}, [1, 3, 10]),   # sqrt(10) = 3.16 rounds to 3
    ({"range": [0.5, 8.0], "scale": "log", "steps": 5}, [0.5, 1.0, 2.0, 4.0, 8.0]),
])
def test_range_values_by_hand(rng, values):
    got = Range.model_validate(rng).values()
    assert got == pytest.approx(values, rel=1e-12)
    assert [type(v) for v in got] == [type(v) for v in values]


def test_point_at_matches_grid():
    hw = HwSweep(base="x", vary={"a": [1, 2, 3], "b": [4, 5], "c": [6, 7]}, zip=[["b", "c"]])
    axes = axes_of(hw)
    assert [point_at(axes, i) for i in range(grid_size(axes))] == grid(axes)


def test_random_sample_is_seeded_distinct_and_in_grid_order():
    a = random_indices(100, 10, seed=3)
    assert a == random_indices(100, 10, seed=3) and a != random_indices(100, 10, seed=4)
    assert len(set(a)) == 10 and a == sorted(a) and all(0 <= i < 100 for i in a)
    assert random_indices(5, 10, seed=0) == [0, 1, 2, 3, 4]  # more samples than points: the whole grid
    big = random_indices(10 ** 12, 50, seed=1)
    assert len(set(big)) == 50 and big == sorted(big) and max(big) < 10 ** 12


def test_random_search_uses_the_sample(nets):
    from accelsim.dse.sweep import plan

    spec = base_spec(search={"method": "random", "samples": 3, "seed": 7})
    spec["networks"] = [str(nets / "tiny.csv")]
    p = plan(spec)
    full = grid(axes_of(p.spec.hw))
    assert [pt.values for pt in p.points] == [full[i] for i in random_indices(4, 3, 7)]


def test_load_spec_names_the_key_path():
    with pytest.raises(ConfigError, match=r"hw\.vary\.pe_array\.rows: empty list"):
        load_spec({"networks": ["lenet"], "hw": {"base": "eyeriss_v1", "vary": {"pe_array.rows": []}}})
