"""from_torch(..., measure_density=True): densities measured on the user's input, checked against
torch.nn.utils.prune's amounts and a direct computation of the activations."""

import pytest

torch = pytest.importorskip("torch")
nn = torch.nn
from torch.nn.utils import prune  # noqa: E402

import accelsim  # noqa: E402
from accelsim.errors import WorkloadError  # noqa: E402
from accelsim.workload.torch_extract import from_torch  # noqa: E402


def _model():
    torch.manual_seed(0)
    m = nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.Conv2d(8, 16, 3), nn.ReLU(), nn.Flatten(),
                      nn.Linear(16 * 4 * 4, 10))
    prune.l1_unstructured(m[2], "weight", amount=0.25)  # 1152 weights: 288 pruned
    prune.random_unstructured(m[5], "weight", amount=0.5)  # 2560 weights: 1280 pruned
    return m


@pytest.mark.parametrize("trace", ["fx", "hooks"])
def test_measured_weight_density_is_one_minus_the_pruning_amount(trace):
    m = _model()
    x = torch.randn(1, 3, 8, 8, generator=torch.Generator().manual_seed(1))
    net = from_torch(m, x, name="pruned", trace=trace, measure_density=True)
    d = {layer.name: layer.density for layer in net.mapped_layers}
    assert d["0"].weights == 1.0 and d["2"].weights == 1 - 0.25 and d["5"].weights == 1 - 0.5
    # ifmap densities: the input, then the ReLU outputs, computed directly
    with torch.no_grad():
        a1 = torch.relu(m[0](x))
        a2 = torch.relu(m[2](a1)).flatten(1)
    assert d["0"].ifmap == 1.0
    assert d["2"].ifmap == int((a1 != 0).sum()) / a1.numel()
    assert d["5"].ifmap == int((a2 != 0).sum()) / a2.numel()
    assert 0.2 < d["2"].ifmap < 0.8  # ReLU zeros about half
    assert all(v.ofmap == 1.0 for v in d.values())
    assert m.training  # the model's mode is restored


def test_measured_densities_feed_the_sparse_model():
    m = _model()
    x = torch.randn(1, 3, 8, 8, generator=torch.Generator().manual_seed(1))
    net = from_torch(m, x, measure_density=True)
    res = accelsim.simulate(net, "eyeriss_v1")
    row = res.to_frame().set_index("layer").loc["2"]
    assert row.macs_gated == pytest.approx((1 - net.layer("2").density.ifmap) * row.macs)
    assert row.energy < row.energy_dense


def test_measure_density_needs_an_example_input():
    with pytest.raises(WorkloadError, match="example input"):
        from_torch(_model(), (3, 8, 8), measure_density=True)
    net = from_torch(_model(), torch.zeros(3, 8, 8))  # a tensor for the shape, no measuring
    assert net.layer("2").density is None
