"""The first run: numba compiles the mapping kernels once and caches them (``cache=True``, see
``_jit``); every later process loads them from the cache. ``kernels_cached`` tells whether the
cache holds the kernels for the current source, so the CLI can say, before a silent wait of tens
of seconds, that it is compiling (``notice``), and ``compile_kernels`` compiles them on purpose on
a tiny layer so the compile time is measured and reported apart from the search time.
"""

from __future__ import annotations

import time

# Measured compile time of the kernels on the reference machine (docs/performance.md); the notice
# quotes it so a user knows how long the one-time wait is.
# a cold `accelsim run alexnet` compiled for 37 s on the idle 2-core machine (bench_coldstart, 2026-12-02)
COMPILE_ESTIMATE_S = 40


def _dispatchers():
    from accelsim.mapping.counts import count_accesses
    from accelsim.mapping.kernels import cycles_of, search_prepare, search_slot

    return (search_slot, search_prepare, count_accesses, cycles_of)


def kernels_cached() -> bool:
    """True if numba's cache holds every top-level kernel for the current source (its index file
    exists and matches the source's stamp); False if any must be compiled (a first run, an
    upgrade, a new NUMBA_CACHE_DIR). Under NUMBA_DISABLE_JIT nothing is compiled: True."""
    for dispatcher in _dispatchers():
        cache = getattr(dispatcher, "_cache", None)
        if cache is None:  # the JIT is off (a plain function) or caching is off
            continue
        try:
            if not cache._cache_file._load_index():  # {} when absent or stale (numba's own check)
                return False
        except Exception:  # noqa: BLE001 - a numba-internal layout we do not know: do not guess
            return True
    return True


_STATE = {"notify": None, "seconds": 0.0, "checked": False}


def on_compile(callback) -> None:
    """Call ``callback()`` (e.g. print ``notice()``) just before the kernels are compiled, if they are."""
    _STATE["notify"] = callback


def compile_seconds() -> float:
    """Seconds this process spent compiling the kernels in ``ensure_compiled`` (0 if they were cached)."""
    return _STATE["seconds"]


def ensure_compiled(hw) -> None:
    """Before the first search of the process: if the kernels are not cached, notify and compile
    them (so the search's own time excludes the compile). Called by the mapper; cheap afterwards."""
    if _STATE["checked"]:
        return
    _STATE["checked"] = True
    if kernels_cached():
        return
    if _STATE["notify"] is not None:
        _STATE["notify"]()
    _STATE["seconds"] = compile_kernels(hw)


def notice() -> str:
    return (f"accelsim: compiling the mapping kernels once (~{COMPILE_ESTIMATE_S} s on a 2-core machine); "
            f"later runs reuse them")


def compile_kernels(hw) -> float:
    """Compile every kernel a run needs by mapping a tiny layer (one search alone and two side by
    side use the same kernels); returns the seconds it took."""
    from accelsim.mapping.mapper import map_networks
    from accelsim.workload.layer import Layer
    from accelsim.workload.network import Network

    t0 = time.perf_counter()
    layer = Layer(name="warmup", M=2, C=2, H=3, W=3, R=2, S=2)
    net = Network(name="warmup", layers=(layer,), input_shape=(2, 3, 3), batch=1)
    map_networks(net, hw, ("free",), max_evaluations=1000)  # ensure_compiled has marked itself done
    return time.perf_counter() - t0
