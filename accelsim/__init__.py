"""accelsim: an Eyeriss-style dataflow simulator for CNN accelerators.

Workloads (loop nests in Eyeriss notation) -> hardware (PE array + memory hierarchy) ->
optimal mapping under a dataflow -> energy, accesses, reuse, utilization, cycles.

The public API (``accelsim.simulate``, ``load_network``, ``load_hw``, ...) lives in
``accelsim.api`` and is imported on first use, so ``import accelsim.cli`` (every command) does not
pay for numba, pandas or matplotlib before it needs them.
"""

__version__ = "0.1.0"

__all__ = ["load_network", "load_hw", "list_networks", "list_hw", "list_dataflows", "simulate", "plot",
           "LayerResult", "NetworkResult", "ResultSet"]


def __getattr__(name: str):
    if name in __all__:
        from accelsim import api

        value = getattr(api, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'accelsim' has no attribute {name!r}")


def __dir__():
    return sorted(list(globals()) + __all__)
