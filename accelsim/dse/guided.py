"""Guided search with Optuna (the ``optuna`` extra) for spaces too large to grid.

``search: {method: optuna, trials: T, seed: S, sampler: tpe|nsga2}``. A trial picks one value of
every ``hw.vary`` axis (a zip group is one axis) and, when the spec lists several, one dataflow;
its three objectives, all minimised, are the energy and the cycles summed over the spec's
networks and batches, and the area in mm2. Trials are asked ``BATCH`` at a time (a constant, so
the trials do not depend on the worker count) and their evaluations run on the sweep's executor.
A trial whose hardware breaks a constraint, or with a layer that has no legal mapping, is told
as failed. Every evaluation goes into the sweep database like a grid sweep's; the sampler is
seeded, so rerunning the same spec replays the same trials and finds them all in the database
(a killed search resumes without recomputing). The table holds one row per distinct (point,
dataflow) the trials visited, per network and batch, in trial order.
"""

from __future__ import annotations

import math
import warnings

from accelsim.dse.space import axes_of

BATCH = 4


def make_sampler(kind: str, seed: int):
    import optuna

    if kind == "nsga2":
        return optuna.samplers.NSGAIISampler(seed=seed)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
        return optuna.samplers.TPESampler(seed=seed, multivariate=True)


def optuna_search(p, ev) -> list:
    """Run the spec's Optuna search on the Evaluator ``ev``; returns the visited (point, dataflow)
    items in trial order."""
    import optuna

    from accelsim.dse import keys
    from accelsim.dse.sweep import Point, make_point
    from accelsim.errors import ConfigError

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    spec = p.spec.search
    axes = axes_of(p.spec.hw)
    study = optuna.create_study(directions=["minimize"] * 3, sampler=make_sampler(spec.sampler, spec.seed))
    points: dict = {}
    items: list = []
    seen: set = set()
    left = spec.trials
    while left > 0:
        trials, chosen = [], []
        for _ in range(min(BATCH, left)):
            trial = study.ask()
            values: dict = {}
            for i, axis in enumerate(axes):
                k = trial.suggest_categorical(f"axis{i}:" + "+".join(axis.paths), list(range(len(axis.values))))
                values.update(zip(axis.paths, axis.values[k], strict=True))
            df = (trial.suggest_categorical("dataflow", list(p.dataflows)) if len(p.dataflows) > 1
                  else p.dataflows[0])
            key = tuple(sorted((k, repr(v)) for k, v in values.items()))
            if key not in points:
                try:
                    points[key] = make_point(p, values)
                except ConfigError as exc:  # this combination is no hardware: a failed trial
                    points[key] = Point(values, None, "", "", skipped=str(exc).split(": ", 1)[-1])
            trials.append(trial)
            chosen.append((points[key], df))
        ev.ensure([(pt, df) for pt, df in chosen if not pt.skipped])
        for trial, (pt, df) in zip(trials, chosen, strict=True):
            if pt.skipped:
                study.tell(trial, state=optuna.trial.TrialState.FAIL)
                continue
            if (pt.point, df) not in seen:
                seen.add((pt.point, df))
                items.append((pt, df))
            energy = cycles = 0.0
            failed = False
            for _, _, net in p.networks:
                ks = [keys.eval_key(layer.nest, pt.hw_key, df, p.spec.objective) for layer in net.mapped_layers]
                for r in ev.fetch(ks).values():
                    if not r["ok"]:
                        failed = True
                        break
                    energy += r["energy"]
                    cycles += r["cycles"]
            if failed or not math.isfinite(energy):
                study.tell(trial, state=optuna.trial.TrialState.FAIL)
            else:
                study.tell(trial, [energy, cycles, pt.hw.area_mm2])
        left -= len(trials)
    p.points = list(points.values())
    return items
