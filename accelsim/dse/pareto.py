"""Pareto fronts of a sweep table: the rows no other row beats on every figure at once.

    front = accelsim.dse.pareto(frame, objectives=("energy", "cycles"))      # a boolean Series
    frame[front]

Every objective is minimised. Row a dominates row b when a is no worse on every objective and
strictly better on at least one; rows with equal figures do not dominate each other (both stay
on the front). Fronts are taken within each group of ``by`` (default: each network and batch,
since energies of different networks are not comparable). Rows with a missing figure or with
failed layers (their totals cover only part of the network) are never on the front.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from accelsim.errors import UsageError

if TYPE_CHECKING:  # pandas is imported where a frame is made: sweep workers import this package
    import pandas as pd

OBJECTIVES = ("energy", "cycles", "latency_ms", "area_mm2", "energy_per_mac")


def non_dominated(values: np.ndarray) -> np.ndarray:
    """Boolean mask of the non-dominated rows of ``values`` (n x k, all minimised)."""
    values = np.asarray(values, dtype=float)
    n = len(values)
    keep = np.ones(n, dtype=bool)
    if n == 0:
        return keep
    # sort lexicographically: a row can only be dominated by a row before it
    order = np.lexsort(values.T[::-1])
    v = values[order]
    front: list[int] = []  # indices into v of the current front
    for i in range(n):
        if front:
            f = v[front]
            dominated = np.all(f <= v[i], axis=1) & np.any(f < v[i], axis=1)
            if dominated.any():
                keep[order[i]] = False
                continue
        front.append(i)
    return keep


def pareto(frame: pd.DataFrame, objectives=("energy", "cycles"), by=("network", "batch")) -> pd.Series:
    """A boolean Series (aligned with ``frame``): True for the rows on the Pareto front of
    ``objectives`` (two or three of energy, cycles, latency_ms, area_mm2, energy_per_mac; all
    minimised) within each group of the ``by`` columns (``by=()``: one front over all rows).
    Rows with a NaN figure or ``failed_layers`` > 0 are False."""
    objectives = tuple(objectives)
    if not 1 <= len(objectives) <= 3 or len(set(objectives)) != len(objectives):
        raise UsageError(f"pareto takes two or three distinct objectives, got {list(objectives)}")
    for name in objectives:
        if name not in OBJECTIVES:
            raise UsageError(f"unknown pareto objective {name!r}; expected {', '.join(OBJECTIVES)}")
        if name not in frame.columns:
            raise UsageError(f"pareto objective {name!r} is not a column of the frame")
    by = [b for b in by if b in frame.columns]
    import pandas as pd

    out = pd.Series(False, index=frame.index, name="pareto")
    if frame.empty:
        return out
    values = frame[list(objectives)].to_numpy(dtype=float)
    eligible = ~np.isnan(values).any(axis=1)
    if "failed_layers" in frame.columns:
        eligible &= frame["failed_layers"].to_numpy() == 0
    groups = frame.groupby(by, sort=False, dropna=False).indices if by else {(): np.arange(len(frame))}
    mask = np.zeros(len(frame), dtype=bool)
    for rows in groups.values():
        rows = np.asarray(rows)
        rows = rows[eligible[rows]]
        mask[rows] = non_dominated(values[rows])
    out[:] = mask
    return out
