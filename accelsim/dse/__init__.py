"""Design-space exploration: sweep specs, hardware points, the SQLite result store, executors
(local processes, Dask), Pareto fronts and Optuna-guided search.

    frame = accelsim.sweep("examples/sweep_example.yaml", db="sweep.db")   # see accelsim.dse.sweep
    front = accelsim.dse.pareto(frame, objectives=("energy", "cycles"))    # a boolean Series
"""

from accelsim.dse.pareto import non_dominated, pareto

__all__ = ["pareto", "non_dominated"]
