"""The mapper driver: layer -> mapspace arrays -> numba search -> best Mapping -> LayerResult.

``map_layer`` finds the optimum of one layer under the model (exhaustive, exact pruning only,
canonical tie-breaking, see ``kernels``); ``map_network`` maps every conv/fc layer, searching
each distinct loop nest once.
"""

from __future__ import annotations

import math
import time
from concurrent.futures import ThreadPoolExecutor

import numba
import numpy as np

from accelsim.errors import NoMappingError, UsageError
from accelsim.mapping import warmup
from accelsim.mapping.counts import count_accesses
from accelsim.mapping.dataflows import Dataflow, get_dataflow
from accelsim.mapping.dims import DIMS, nest_bounds
from accelsim.mapping.feasibility import capacity_reason, infeasible, smallest_factors
from accelsim.mapping.kernels import OBJ_CYCLES, OBJ_EDP, OBJ_ENERGY, cycles_of, search_prepare, search_slot
from accelsim.mapping.mapping import Mapping
from accelsim.mapping.mapspace import build_splits, divisors, hardware_arrays, order_structure, order_table
from accelsim.mapping.result import LayerFailure, LayerResult, NetworkResult

OBJECTIVES = {"energy": OBJ_ENERGY, "cycles": OBJ_CYCLES, "edp": OBJ_EDP}


def _objective_code(objective: str) -> int:
    if objective not in OBJECTIVES:
        raise UsageError(f"unknown objective {objective!r}; expected one of {', '.join(OBJECTIVES)}")
    return OBJECTIVES[objective]


def _sd(nest) -> np.ndarray:
    return np.array([nest.Uh, nest.Uw, nest.Dh, nest.Dw], dtype=np.int64)


def canonical_dim_order(inner) -> np.ndarray:
    """Enumeration order of the dimensions: the one with most (rf, rows, cols) splits first (the
    parallel level), then the rest in DIMS order. The search enumerates inner splits in this
    order, then GLB factors in this order, then loop orders; ties between equal-cost mappings go
    to the first one enumerated."""
    top = max(range(8), key=lambda d: (len(inner[d]), -d))
    return np.array([top] + [d for d in range(8) if d != top], dtype=np.int64)


def inner_splits(splits) -> list[list[tuple[int, int, int]]]:
    """Per dimension, the distinct (rf, rows, cols) prefixes of its legal splits, in order."""
    return [list(dict.fromkeys(row[:3] for row in s)) for s in splits]


# Default evaluation budget per layer: none for the named dataflows (exhaustive); the unconstrained
# `free` space is orders of magnitude larger, so it stops after this many (reported as not exhaustive).
FREE_BUDGET = 100_000_000
WAVE = 8  # slots searched together by a parallel search; each wave starts from the best cost of the waves before


def default_budget(dataflow: Dataflow) -> int:
    return FREE_BUDGET if dataflow.name == "free" else 0


def _exact_sums(hwa, nest) -> bool:
    """Every energy is a small integer (e.g. the normalized Eyeriss costs) and the layer small enough
    that any sum of counts x energies is an exact float64 integer, whatever the order of the sum.
    A count of one datatype at one level is at most 4 words per MAC times the sliding-window
    blow-up (U + D per axis: a window of e outputs and r filter taps spans < e*U + r*D rows)."""
    values = np.concatenate([hwa.e_read.ravel(), hwa.e_write.ravel(), [hwa.mac_energy]])
    if not np.all(values == np.round(values)) or np.abs(values).max() > 1 << 20:
        return False
    blowup = (nest.Uh + nest.Dh) * (nest.Uw + nest.Dw)
    return 24 * 4 * nest.macs * blowup * max(1.0, float(np.abs(values).max())) < 2.0 ** 52


def check_constraints(min_utilization=0.0, max_cycles=None) -> None:
    """The mapper's constraints: ``min_utilization`` a fraction of the PEs in [0, 1] (the chosen
    mapping keeps at least that share of the PE array active); ``max_cycles`` a positive number of
    cycles or None (unbounded)."""
    if isinstance(min_utilization, bool) or not isinstance(min_utilization, (int, float)) \
            or not 0 <= min_utilization <= 1:
        raise UsageError(f"min_utilization must be a fraction of the PEs between 0 and 1, got {min_utilization!r}")
    if max_cycles is not None and (isinstance(max_cycles, bool) or not isinstance(max_cycles, int) or max_cycles <= 0):
        raise UsageError(f"max_cycles must be a positive integer (cycles), got {max_cycles!r}")


def min_active_pes(hw, min_utilization: float) -> int:
    """The fewest active PEs ``min_utilization`` allows on ``hw`` (rounded up, exact for decimals)."""
    from fractions import Fraction

    return math.ceil(Fraction(str(float(min_utilization))) * int(hw.pe_rows * hw.pe_cols))


def _constraint_text(hw, min_utilization: float, max_cycles) -> str:
    parts = []
    if min_utilization > 0:
        parts.append(f"min_utilization {min_utilization:g} (at least {min_active_pes(hw, min_utilization)} of "
                     f"{hw.pe_rows * hw.pe_cols} PEs active)")
    if max_cycles is not None:
        parts.append(f"max_cycles {max_cycles}")
    return " and ".join(parts)


def search_nest(nest, hw, dataflow: Dataflow, objective: str = "energy", psum_spill: bool = False,
                max_evaluations: int | None = None, parallel: bool = True, stop: np.ndarray | None = None,
                min_utilization: float = 0.0, max_cycles: int | None = None, strip: bool | None = None):
    """Search one loop nest. Returns (Mapping, evaluated, seconds, exhaustive) or raises
    NoMappingError. ``psum_spill``: also allow mappings that send partial sums to DRAM and read
    them back (by default every ofmap element is written to DRAM exactly once).
    ``max_evaluations``: stop after about this many (0 = exhaustive; None = the dataflow's
    default, see ``default_budget``); the cut is deterministic. ``parallel``: search the top
    dimension's splits on ``search_threads()`` threads in waves (for a lone layer); otherwise on the calling
    thread, each split seeded with the best so far (less work; ``map_networks`` runs several such
    searches at once). The optimum is the same either way. ``stop``: an int64[1] another thread
    sets to 1 to end the search early (its result is then not exhaustive). ``min_utilization``,
    ``max_cycles``: only mappings with at least that share of the PEs active and at most that many
    cycles are searched (``check_constraints``); if none meets them, NoMappingError names them.
    ``strip``: whether spatial factors may strip-mine (``mapspace.build_splits``; None = the
    default, ``mapspace.STRIP``)."""
    code = _objective_code(objective)
    bounds = nest_bounds(nest)
    sd = _sd(nest)
    hwa = hardware_arrays(hw, dataflow)
    splits = build_splits(bounds, dataflow, hwa, strip)
    if any(not s for s in splits):
        raise NoMappingError(_diagnose(bounds, sd, splits, hwa, dataflow, hw))
    if reason := infeasible(bounds, sd, splits, hwa, dataflow.name, hw.name, psum_spill):  # no search needed
        raise NoMappingError(reason)
    inner = inner_splits(splits)
    flat = np.array([row for s in inner for row in s], dtype=np.int64)
    off = np.zeros(9, dtype=np.int64)
    off[1:] = np.cumsum([len(s) for s in inner])
    divs, row_divs = glb_factor_table(bounds, inner)
    same = arrangement_classes(inner)
    dim_order = canonical_dim_order(inner)
    top = int(dim_order[0])
    perms, perm_off = order_table()
    rep_group, rep_prefix, rep_lstar = order_structure()
    k_top = len(inner[top])
    best_cost = np.full((k_top, 2), np.inf)
    best_pick = np.zeros((k_top, 18), dtype=np.int64)
    evaluated = np.zeros(k_top, dtype=np.int64)
    complete = np.zeros(k_top, dtype=np.bool_)
    budget = default_budget(dataflow) if max_evaluations is None else int(max_evaluations)
    slot_budget = -(-budget // k_top) if budget > 0 else 0
    t0 = time.perf_counter()
    space = (flat, off, divs, row_divs, dim_order, same)
    limits = np.concatenate([hwa.limits, [min_active_pes(hw, min_utilization),
                                          -1 if max_cycles is None else int(max_cycles)]]).astype(np.int64)
    hwx = (hwa.hold, hwa.multicast, limits, hwa.e_read, hwa.e_write, hwa.bw, float(hwa.mac_energy))
    orders = (perm_off, rep_group, rep_prefix, rep_lstar, int(np.diff(perm_off).max()))
    options = (code, not psum_spill, slot_budget, WAVE if parallel else 1, _exact_sums(hwa, nest))
    stop = np.zeros(1, dtype=np.int64) if stop is None else stop
    run_slots(bounds, sd, space, hwx, orders, options, (best_cost, best_pick, evaluated, complete, stop))
    seconds = time.perf_counter() - t0
    best = None
    for k in range(k_top):  # slot order = enumeration order: the first minimum wins
        if np.isfinite(best_cost[k, 0]) and (best is None or tuple(best_cost[k]) < tuple(best_cost[best])):
            best = k
    if best is None:
        if min_utilization > 0 or max_cycles is not None:
            # the constraints or the hardware? Without the constraints this raises the hardware's reason
            search_nest(nest, hw, dataflow, objective, psum_spill, max_evaluations, parallel, stop, strip=strip)
            raise NoMappingError(f"{dataflow.name} on {hw.name}: no mapping meets "
                                 f"{_constraint_text(hw, min_utilization, max_cycles)}")
        raise NoMappingError(_diagnose(bounds, sd, splits, hwa, dataflow, hw))
    pick = best_pick[best]
    f = np.ones((5, 8), dtype=np.int64)
    for d in range(8):
        f[0:3, d] = flat[pick[d]]
        f[3, d] = pick[10 + d]
        f[4, d] = -(-(bounds[d] // f[0, d]) // (f[1, d] * f[2, d])) // f[3, d]  # array tiles / GLB factor
    mapping = Mapping(factors=tuple(tuple(int(v) for v in row) for row in f),
                      glb_order=tuple(int(x) for x in perms[pick[9]]),
                      dram_order=tuple(int(x) for x in perms[pick[8]]),
                      hold=(tuple(bool(x) for x in hwa.hold[0]), tuple(bool(x) for x in hwa.hold[1])),
                      multicast=tuple(bool(x) for x in hwa.multicast))
    return mapping, int(evaluated.sum()), seconds, bool(complete.all())


def run_slots(bounds, sd, space, hwx, orders, options, out) -> None:
    """Search every slot (``kernels.search_slot``; out = (best_cost, best_pick, evaluated, complete,
    stop)), in ``slot_order``. With wave ``options[3]`` = 1, one after another on the calling
    thread, each seeded with the best cost so far (the most pruning); otherwise on
    ``search_threads()`` Python threads (the kernel releases the GIL) in fixed waves of that many
    slots, every slot of a wave seeded with the best cost of the waves before it. The order and the
    waves are fixed (they do not depend on the thread count), so neither do the result and the
    number of mappings evaluated.

    The result does not depend on the order either: every seed is the cost of a legal mapping, a
    bound cuts only what costs more than the best so far (with a relative slack of 1e-9, far above
    the rounding of a bound, so an exact tie is never cut), and the caller takes the lowest
    (cost, secondary) over the slots, the first slot on a tie. A slot that holds the optimum finds
    it whatever it was seeded with; a slot seeded below its own best reports nothing, and it could
    not have won."""
    best_cost = out[0]
    pre = search_prepare(bounds, sd, hwx, options[1])
    order = slot_order(len(best_cost))
    wave = options[3]
    seed = np.inf
    if wave == 1:
        for k in order:
            search_slot(bounds, sd, space, hwx, orders, options, pre, k, seed, out)
            seed = min(seed, float(best_cost[k, 0]))
        return
    with ThreadPoolExecutor(max_workers=search_threads()) as pool:
        for first in range(0, len(order), wave):
            slots = order[first:first + wave]
            for done in [pool.submit(search_slot, bounds, sd, space, hwx, orders, options, pre, k, seed, out)
                         for k in slots]:
                done.result()
            seed = min(seed, float(best_cost[slots, 0].min()))


def slot_order(k_top: int) -> list[int]:
    """The order the slots are searched in: the top dimension's (rf, rows, cols) splits from the
    last to the first, i.e. the largest factors first. They tend to hold the cheapest mappings, so
    the seeds are low early and the bounds cut more: measured on the README's example sweep (6 of
    its hardware points x 28 layers), RS 16.1 -> 7.5 CPU s, NLR 3.3 -> 1.1 s, IS 2.1 -> 0.8 s, the
    same mapping for every one (the canonical order decides ties, see ``run_slots``)."""
    return list(range(k_top - 1, -1, -1))


def search_threads() -> int:
    """Threads a search may use: numba's thread count (``NUMBA_NUM_THREADS``, default all cores;
    ``numba.set_num_threads`` lowers it)."""
    return max(1, numba.get_num_threads())


def arrangement_classes(inner) -> np.ndarray:
    """The splits of a dimension that differ only in how its spatial factor is arranged over the
    array: same rf, same rows x cols (the model counts a dimension's PEs, not which axis they lie
    on; only the array fit tells them apart). Returns int64[rows, 2] over ``inner`` flattened: the
    first row of each row's class and the next row of its class (-1 after the last), both in list
    order (``kernels.earlier_arrangement`` walks them)."""
    out = []
    base = 0
    for rows in inner:
        first: dict[tuple[int, int], int] = {}
        last: dict[tuple[int, int], int] = {}
        links = [[0, -1] for _ in rows]
        for i, (rf, y, x) in enumerate(rows):
            key = (rf, y * x)
            links[i][0] = base + first.setdefault(key, i)
            if key in last:
                links[last[key]][1] = base + i
            last[key] = i
        out.extend(links)
        base += len(rows)
    return np.array(out, dtype=np.int64).reshape(-1, 2)


def glb_factor_table(bounds, inner) -> tuple[np.ndarray, np.ndarray]:
    """Every GLB factor each (rf, rows, cols) split can take: the divisors of the array tiles
    ceil((bound / rf) / (rows x cols)) it leaves, in increasing order. Returns (divs int64[n],
    row_divs int64[rows, 2]): split row i (``inner`` flattened) takes divs[row_divs[i, 0]:
    row_divs[i, 1]]; splits that leave the same number of tiles share one list."""
    divs: list[int] = []
    row_divs = []
    for bound, rows in zip(bounds, inner, strict=True):
        where: dict[int, tuple[int, int]] = {}
        for rf, y, x in rows:
            tiles = -(-(int(bound) // rf) // (y * x))
            if tiles not in where:
                where[tiles] = (len(divs), len(divs) + len(divisors(tiles)))
                divs.extend(divisors(tiles))
            row_divs.append(where[tiles])
    return np.array(divs, dtype=np.int64), np.array(row_divs, dtype=np.int64).reshape(-1, 2)


def evaluate(nest, hw, mapping: Mapping, dataflow: Dataflow):
    """Counts, energy[4, 3], MAC energy and cycles of one mapping (the same model the search uses)."""
    hwa = hardware_arrays(hw, dataflow)
    counts = np.zeros((4, 3, 2), dtype=np.int64)
    macs, steps, pes = count_accesses(nest_bounds(nest), _sd(nest), mapping.f, mapping.orders,
                                      np.array(mapping.hold, dtype=np.bool_),
                                      np.array(mapping.multicast, dtype=np.bool_), counts)
    energy = counts[:, :, 0] * hwa.e_read + counts[:, :, 1] * hwa.e_write
    cycles = cycles_of(counts, steps, hwa.bw, mapping.f)
    return counts, energy, macs * hwa.mac_energy, cycles, int(macs), int(steps), int(pes)


def map_layer(layer, hw, dataflow="rs", objective: str = "energy", network: str = "",
              psum_spill: bool = False, max_evaluations: int | None = None, min_utilization: float = 0.0,
              max_cycles: int | None = None, strip_mining: bool = False) -> LayerResult:
    """Map one Layer; raises NoMappingError naming the failing constraint. ``min_utilization``
    (fraction of PEs active) and ``max_cycles`` restrict the search (``check_constraints``);
    ``strip_mining``: spatial factors may leave a partial array tile (docs/model.md)."""
    df = get_dataflow(dataflow)
    check_constraints(min_utilization, max_cycles)
    nest = layer.nest
    warmup.ensure_compiled(hw)  # a first run: compile (and say so) before the search's clock starts
    outcome = run_searches([(df, nest)], hw, objective, psum_spill, max_evaluations,
                           (min_utilization, max_cycles), strip=strip_mining)[0]
    if isinstance(outcome, str):
        raise NoMappingError(outcome)
    mapping, n_eval, seconds, exhaustive = outcome
    return _result(layer, nest, hw, df, objective, mapping, n_eval, seconds, network, exhaustive=exhaustive)


def _result(layer, nest, hw, df, objective, mapping, n_eval, seconds, network, same_as="",
            exhaustive=True) -> LayerResult:
    counts, energy, mac_e, cycles, macs, steps, pes = evaluate(nest, hw, mapping, df)
    return LayerResult(network=network, layer=layer.name, layer_type=layer.type, hw=hw.name, dataflow=df.name,
                       objective=objective, energy_unit=hw.energy_unit, clock_mhz=float(hw.clock_mhz),
                       pe_total=int(hw.pe_rows * hw.pe_cols), macs=macs, useful_macs=int(layer.macs),
                       steps=steps, active_pes=pes, counts=counts, energy=energy, mac_energy=float(mac_e),
                       cycles=int(cycles), mapping=mapping, evaluated=n_eval, seconds=seconds, same_as=same_as,
                       exhaustive=exhaustive, shape=tuple(layer.row().items()),
                       pe_array=(int(hw.pe_rows), int(hw.pe_cols)), bounds=tuple(int(b) for b in nest_bounds(nest)))


def _search_outcome(nest, hw, df, objective, psum_spill, max_evaluations, parallel, stop, constraints=(0.0, None),
                    strip=None):
    """search_nest's result, or the NoMappingError message."""
    try:
        return search_nest(nest, hw, df, objective, psum_spill, max_evaluations, parallel=parallel, stop=stop,
                           min_utilization=constraints[0], max_cycles=constraints[1], strip=strip)
    except NoMappingError as exc:
        return str(exc)


def run_searches(jobs, hw, objective: str = "energy", psum_spill: bool = False,
                 max_evaluations: int | None = None, constraints=(0.0, None), strip: bool | None = None) -> list:
    """Search every (dataflow, loop nest) job on worker threads; per job, search_nest's result or
    the no-mapping message. A lone job uses every numba thread; several run side by side, one
    thread each (results do not depend on the schedule), the biggest first. The calling thread
    only waits, so an interrupt (Ctrl-C) reaches it at once: it stops the running searches and
    re-raises. ``constraints``: (min_utilization, max_cycles); ``strip``: see ``search_nest``."""
    threads = search_threads()
    stop = np.zeros(1, dtype=np.int64)
    parallel = len(jobs) == 1 and threads > 1
    # the biggest searches first, so no thread is left with one long search at the end
    order = sorted(range(len(jobs)), key=lambda i: -_mapspace_size(jobs[i][1]))
    pool = ThreadPoolExecutor(max_workers=1 if parallel else threads)
    try:
        futures = {i: pool.submit(_search_outcome, jobs[i][1], hw, jobs[i][0], objective, psum_spill,
                                  max_evaluations, parallel, stop, constraints, strip) for i in order}
        return [futures[i].result() for i in range(len(jobs))]
    except BaseException:
        stop[0] = 1
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _mapspace_size(nest) -> int:
    """A rough measure of how long a nest's search takes: the number of ways to pick one divisor
    of every loop bound."""
    return int(np.prod([len(divisors(int(b))) for b in nest_bounds(nest)]))


def map_networks(net, hw, dataflows, objective: str = "energy", psum_spill: bool = False,
                 max_evaluations: int | None = None, min_utilization: float = 0.0,
                 max_cycles: int | None = None, strip_mining: bool = False) -> tuple[NetworkResult, ...]:
    """Map every conv/fc layer of a Network under each dataflow; one NetworkResult per dataflow.
    Each distinct loop nest is searched once per dataflow (``run_searches``). Layers with no legal
    mapping are reported in ``failures`` (the others still run). ``min_utilization``, ``max_cycles``,
    ``strip_mining``: per layer, see ``map_layer``."""
    dfs = [get_dataflow(d) for d in dataflows]
    _objective_code(objective)
    warmup.ensure_compiled(hw)  # a first run: compile (and say so) before the search's clock starts
    check_constraints(min_utilization, max_cycles)
    t0 = time.perf_counter()
    nests = list(dict.fromkeys(layer.nest for layer in net.mapped_layers))
    jobs = [(df, nest) for df in dfs for nest in nests]
    outcomes = run_searches(jobs, hw, objective, psum_spill, max_evaluations, (min_utilization, max_cycles),
                            strip=strip_mining)
    found = dict(zip(jobs, outcomes, strict=True))
    return network_results(net, hw, dfs, objective, found, time.perf_counter() - t0)


def network_results(net, hw, dfs, objective: str, found: dict, seconds: float, key=lambda layer: layer.nest,
                    finish=None) -> tuple[NetworkResult, ...]:
    """One NetworkResult per dataflow from the searches' outcomes: ``found[(dataflow, key(layer))]``
    is search_nest's result or the no-mapping message (a LayerFailure). The first layer of each key
    carries the search's mappings evaluated and seconds; the later ones name it in ``same_as``.
    ``finish(result, layer, dataflow)``, if given, turns each LayerResult into the one reported
    (the sparse model's)."""
    out = []
    for df in dfs:
        first: dict = {}
        results, failures = [], []
        for layer in net.mapped_layers:
            k = key(layer)
            outcome = found[(df, k)]
            if isinstance(outcome, str):
                failures.append(LayerFailure(net.name, layer.name, hw.name, df.name, outcome))
                continue
            mapping, n_eval, secs, exhaustive = outcome
            same = first.get(k, "")
            first.setdefault(k, layer.name)
            result = _result(layer, layer.nest, hw, df, objective, mapping, 0 if same else n_eval,
                             0.0 if same else secs, net.name, same_as=same, exhaustive=exhaustive)
            results.append(finish(result, layer, df) if finish else result)
        out.append(NetworkResult(network=net.name, hw=hw.name, dataflow=df.name, objective=objective,
                                 batch=net.batch, layers=tuple(results), failures=tuple(failures), seconds=seconds))
    return tuple(out)


def map_network(net, hw, dataflow="rs", objective: str = "energy", psum_spill: bool = False,
                max_evaluations: int | None = None, min_utilization: float = 0.0,
                max_cycles: int | None = None, strip_mining: bool = False) -> NetworkResult:
    """Map every conv/fc layer of a Network under one dataflow (see ``map_networks``)."""
    return map_networks(net, hw, (dataflow,), objective, psum_spill, max_evaluations, min_utilization, max_cycles,
                        strip_mining)[0]


# ---- why nothing fits ------------------------------------------------------------------------
def _diagnose(bounds, sd, splits, hwa, df: Dataflow, hw) -> str:
    """Name the constraint that no mapping can meet, with the sizes involved."""
    where = f"{df.name} on {hw.name}"
    for d, s in enumerate(splits):
        if s:
            continue
        name, bound = DIMS[d], int(bounds[d])
        for level, dim in df.full:
            if dim == name:
                if level in ("rows", "cols"):
                    size = hwa.pe_rows if level == "rows" else hwa.pe_cols
                    return (f"{where}: dataflow puts all {name}={bound} on PE {level}; "
                            f"the array has {size} {level}")
                return (f"{where}: dataflow keeps all {name}={bound} inside a PE, "
                        f"but the PE register file cannot hold the ifmap it needs")
        return f"{where}: dimension {name}={bound} has no legal split"
    # search_nest ran ``infeasible`` (capacities, array, psums) before the search, so after a search
    # that found nothing this names the same capacity as then, if any
    reason = capacity_reason(where, df.name, smallest_factors(splits), sd, hwa, bounds)
    if reason:
        return reason
    return f"{where}: no combination of tile sizes fits the register files, buffer and array together"
