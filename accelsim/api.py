"""The Python API. The CLI only calls these functions.

    net = accelsim.load_network("alexnet", batch=4)
    hw = accelsim.load_hw("eyeriss_v1")
    result = accelsim.simulate(net, hw, dataflow="rs", objective="energy")
    result.to_frame()
"""

from __future__ import annotations

from accelsim.workload import zoo
from accelsim.workload.load import load_network

__all__ = ["load_network", "list_networks"]


def list_networks() -> list[zoo.ZooEntry]:
    """Every zoo entry (name, family, source, notes)."""
    return zoo.entries()
