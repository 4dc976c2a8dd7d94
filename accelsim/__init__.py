"""accelsim: an Eyeriss-style dataflow simulator for CNN accelerators.

Workloads (loop nests in Eyeriss notation) -> hardware (PE array + memory hierarchy) ->
optimal mapping under a dataflow -> energy, accesses, reuse, utilization, cycles.

The public API (``accelsim.simulate``, ``load_network``, ``load_hw``, ...) lives in
``accelsim.api`` and is imported on first use, so ``import accelsim.cli`` (every command) does not
pay for numba, pandas or matplotlib before it needs them.
"""

__version__ = "0.1.0"

# Subpackages a user reaches as attributes (``accelsim.dse.pareto``) without importing them first.
_SUBPACKAGES = ("dse", "report", "papers", "workload", "arch", "mapping", "sim", "teaching", "sparsity")


def __getattr__(name: str):
    """The API names (``accelsim.api.__all__``, which is also ``accelsim.__all__``) and the
    subpackages, imported on first use."""
    import importlib

    if name in _SUBPACKAGES:
        return importlib.import_module(f"accelsim.{name}")
    api = importlib.import_module("accelsim.api")
    if name == "__all__":
        return list(api.__all__)
    if name in api.__all__:
        value = getattr(api, name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'accelsim' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__getattr__("__all__")) | set(_SUBPACKAGES))
