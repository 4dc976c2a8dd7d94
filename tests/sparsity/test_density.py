"""Densities: parsing, validation (one-line errors), and where they live (Layer, zoo profile)."""

import math

import pytest

import accelsim
from accelsim.errors import UsageError
from accelsim.sparsity.density import Density, DensityError, parse_density
from accelsim.workload.layer import Layer


def test_parse_density_reads_every_datatype():
    assert parse_density("ifmap=0.4,weights=0.3") == {"ifmap": 0.4, "weights": 0.3}
    assert parse_density(" ofmap = 1 , ifmap=0") == {"ofmap": 1.0, "ifmap": 0.0}


@pytest.mark.parametrize("text, word", [("ifmap=-0.1", "[0, 1]"), ("ifmap=1.5", "[0, 1]"), ("ifmap=nan", "[0, 1]"),
                                        ("psums=0.3", "unknown datatype"), ("ifmap", "DATATYPE=VALUE"),
                                        ("ifmap=0.2,ifmap=0.3", "twice"), ("ifmap=abc", "[0, 1]"), ("", "look like")])
def test_bad_densities_are_one_line_usage_errors(text, word):
    with pytest.raises(DensityError) as exc:
        parse_density(text)
    assert word in str(exc.value) and "\n" not in str(exc.value)
    assert isinstance(exc.value, UsageError)


def test_density_object_checks_its_fields():
    with pytest.raises(DensityError):
        Density(ifmap=math.nan)
    with pytest.raises(DensityError):
        Density(weights=2)
    d = Density(ifmap=0.5)
    assert (d.of(0), d.of(1), d.of(2)) == (1.0, 0.5, 1.0)
    assert Density().is_dense and not d.is_dense


def test_layer_carries_a_density_and_defaults_to_dense():
    base = dict(name="c", M=4, C=3, H=8, W=8, R=3, S=3)
    assert Layer(**base).density is None
    assert Layer(**base, density="ifmap=0.25").density == Density(ifmap=0.25)
    assert Layer(**base).nest == Layer(**base, density={"weights": 0.5}).nest
    with pytest.raises(DensityError):
        Layer(**base, density={"ifmap": -1})


def test_alexnet_profile_carries_the_chips_measured_ifmap_zeros():
    # JSSC 2017 Table V: zeros in ifmap 0.01 / 38.7 / 72.5 / 79.3 / 77.6 % for CONV1-5
    net = accelsim.load_network("alexnet", density_profile="eyeriss-jssc17")
    zeros = [round(100 * (1 - net.layer(f"conv{i}").density.ifmap), 2) for i in range(1, 6)]
    assert zeros == [0.01, 38.7, 72.5, 79.3, 77.6]
    assert net.layer("fc6").density is None
    assert accelsim.load_network("alexnet").layer("conv1").density is None
    with pytest.raises(accelsim.errors.WorkloadError):
        accelsim.load_network("vgg16", density_profile="eyeriss-jssc17")
