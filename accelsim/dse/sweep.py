"""Run a sweep: spec -> hardware points -> per-layer evaluations (stored, reused) -> results table.

    frame = accelsim.sweep("examples/sweep_example.yaml", db="sweep.db")

Everything that can be wrong with a spec is checked before the first evaluation (``plan``): the
networks load, the dataflows exist, every point's hardware derives from the base config. Then
the distinct evaluations (layer loop nest x hardware content x dataflow x objective x model
version) that the database does not hold yet are computed (``accelsim.dse.executors``) and stored
as they finish; the table is assembled from the stored per-layer evaluations, in spec order, so a
rerun, a resumed run, another executor or another worker count give the same table bit for bit.

A network row sums its layers exactly as ``simulate(network, hw, dataflow)`` does (the same
per-layer floats, added in layer order), so ``energy`` and ``cycles`` equal its ``energy_total``
and ``cycles``.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from accelsim.dse import keys
from accelsim.dse.executors import Job, Session, estimated_cost
from accelsim.dse.pareto import pareto
from accelsim.dse.space import axes_of, grid_size, point_at, random_indices
from accelsim.dse.spec import SweepSpec, load_spec
from accelsim.dse.store import Store
from accelsim.errors import AccelsimError, ConfigError

TABLE_FIGURES = ["point", "macs", "energy", "energy_unit", "energy_per_mac", "cycles", "latency_ms", "utilization",
                 "area_mm2", "failed_layers", "pareto"]


@dataclass
class Point:
    """One hardware point: the varied values, the derived Hardware and its content hashes."""

    values: dict
    hw: object
    hw_key: str
    point: str
    skipped: str = ""  # the constraint it violates (then it is not evaluated)


@dataclass
class Plan:
    spec: SweepSpec
    where: str
    networks: list  # (Network at each batch) in spec order: [(name, batch, Network)]
    dataflows: list[str]
    base: object
    points: list[Point] = field(default_factory=list)

    @property
    def paths(self) -> list[str]:
        return list(self.spec.hw.vary)


def _resolve(text: str, folder: Path) -> str:
    p = Path(text)
    if not p.is_absolute() and (folder / p).exists() and str(folder) not in ("", "."):
        return str(folder / p)
    return text


def plan(spec_or_path) -> Plan:
    """Validate a spec completely and build its points (grid or random); no evaluation yet.
    ConfigError (one line, naming the key path) for anything wrong."""
    from accelsim.api import load_hw
    from accelsim.mapping.dataflows import ALL_NAMES, get_dataflow
    from accelsim.workload.load import load_network

    spec, folder = load_spec(spec_or_path)
    where = str(spec_or_path) if isinstance(spec_or_path, (str, Path)) else "sweep spec"
    networks = []
    for i, name in enumerate(spec.networks):
        for b in spec.batches:
            try:
                net = load_network(_resolve(name, folder), batch=b)
            except AccelsimError as exc:
                raise ConfigError(f"{where}: networks[{i}]: {exc}") from None
            networks.append((net.name, b, net))
    if spec.dataflows == "all":
        dataflows = list(ALL_NAMES)
    else:
        dataflows = []
        for i, d in enumerate(spec.dataflows):
            try:
                dataflows.append(get_dataflow(d).name)
            except AccelsimError as exc:
                raise ConfigError(f"{where}: dataflows[{i}]: {exc}") from None
        if len(set(dataflows)) != len(dataflows):
            raise ConfigError(f"{where}: dataflows: a dataflow is listed twice")
    try:
        base = load_hw(_resolve(spec.hw.base, folder))
    except AccelsimError as exc:
        raise ConfigError(f"{where}: hw.base: {exc}") from None
    if spec.hw.set:
        try:
            base = base.derive(spec.hw.set)
        except AccelsimError as exc:
            raise ConfigError(f"{where}: hw.set: {exc}") from None
    p = Plan(spec, where, networks, dataflows, base)
    axes = axes_of(spec.hw)
    search = spec.search
    if search.method == "grid":
        indices = range(grid_size(axes))
    elif search.method == "random":
        indices = random_indices(grid_size(axes), search.samples, search.seed)
    else:  # optuna: points are chosen as the search goes; check every value of every axis now
        try:
            import optuna  # noqa: F401
        except ImportError:
            raise ConfigError(f"{where}: search.method: optuna needs Optuna: pip install 'accelsim[optuna]'") from None
        indices = []
        for axis in axes:
            for value in axis.values:
                make_point(p, dict(zip(axis.paths, value, strict=True)))
    p.points = [make_point(p, point_at(axes, i)) for i in indices]
    return p


def make_point(p: Plan, values: dict) -> Point:
    try:
        hw = p.base.derive(values) if values else p.base
    except AccelsimError as exc:
        shown = ", ".join(f"{k}={v!r}" for k, v in values.items())
        raise ConfigError(f"{p.where}: hw.vary: the point {shown} is not a valid hardware: {exc}") from None
    return Point(values, hw, keys.hw_key(hw), keys.point_hash(hw), _violates(hw, p.spec.constraints))


def _violates(hw, constraints: dict) -> str:
    figures = {"area_mm2": hw.area_mm2, "storage_area_mm2": hw.storage_area_mm2, "num_pes": hw.num_pes}
    for key, limit in constraints.items():
        bound, figure = key.split("_", 1)
        value = figures[figure]
        if (bound == "max" and value > limit) or (bound == "min" and value < limit):
            return f"{figure} {value:.6g} {'>' if bound == 'max' else '<'} {limit:g}"
    return ""


class Evaluator:
    """Ensures evaluations are in the store (computing the missing ones on a Session) and counts
    what was computed and what was reused."""

    def __init__(self, p: Plan, store: Store, session: Session, quiet: bool):
        self.p, self.store, self.session, self.quiet = p, store, session, quiet
        self.computed = 0
        self.reused: set[str] = set()
        self.done: set[str] = set()
        self.records: dict[str, dict] = {}

    def keys_for(self, point: Point, dataflow: str) -> dict[str, tuple]:
        out = {}
        for _, _, net in self.p.networks:
            for layer in net.mapped_layers:
                out[keys.eval_key(layer.nest, point.hw_key, dataflow, self.p.spec.objective)] = (point, layer.nest,
                                                                                                 dataflow)
        return out

    def ensure(self, items: list[tuple[Point, str]]) -> None:
        wanted: dict[str, tuple] = {}
        for point, df in items:
            wanted.update(self.keys_for(point, df))
        new = [k for k in wanted if k not in self.done]
        stored = self.store.known(new)
        self.reused |= stored
        self.done |= stored
        todo = [k for k in new if k not in stored]
        groups: dict[str, tuple] = {}
        for k in todo:
            point, nest, df = wanted[k]
            groups.setdefault(point.hw_key, (point.hw, []))[1].append(Job(k, tuple(nest), df, estimated_cost(nest)))
        for _, jobs in groups.values():
            jobs.sort(key=lambda j: -j.cost)  # big searches first: no worker is left with one at the end
        self.store.put_hardware({point.hw_key: json.dumps(point.hw.to_config(), sort_keys=True)
                                 for point, _ in items})
        if not todo:
            return
        from tqdm import tqdm

        bar = tqdm(total=len(todo), unit="eval", desc="sweep", file=sys.stderr, leave=False,
                   disable=self.quiet or not sys.stderr.isatty())

        def on_done(records):
            for r in records:
                point, nest, df = wanted[r["key"]]
                r.update(nest=keys.nest_text(nest), hw=point.hw_key, dataflow=df, objective=self.p.spec.objective,
                         model=keys.model_version())
            self.store.put(records)
            self.computed += len(records)
            self.done.update(r["key"] for r in records)
            bar.update(len(records))

        try:
            self.session.run(list(groups.values()), self.p.spec.objective, on_done)
        finally:
            bar.close()

    def fetch(self, keys_) -> dict[str, dict]:
        missing = [k for k in keys_ if k not in self.records]
        self.records.update(self.store.fetch(missing))
        return {k: self.records[k] for k in keys_}


def row_for(ev: Evaluator, point: Point, name: str, batch: int, net, dataflow: str) -> dict:
    """One table row: the network's totals on one point under one dataflow, from stored layers."""
    p = ev.p
    ks = [keys.eval_key(layer.nest, point.hw_key, dataflow, p.spec.objective) for layer in net.mapped_layers]
    recs = ev.fetch(ks)
    energy = cycles = 0
    macs = executed = failed = 0
    for layer, k in zip(net.mapped_layers, ks, strict=True):
        r = recs[k]
        if not r["ok"]:
            failed += 1
            continue
        energy += r["energy"]
        cycles += r["cycles"]
        macs += layer.macs
        executed += r["macs"]
    hw = point.hw
    nan = float("nan")
    row = {"network": name, "batch": batch, "dataflow": dataflow, "objective": p.spec.objective}
    row.update(point.values)
    row.update(point=point.point, macs=macs, energy=float(energy) if macs else nan, energy_unit=hw.energy_unit,
               energy_per_mac=energy / macs if macs else nan, cycles=float(cycles) if macs else nan,
               latency_ms=cycles / (hw.clock_mhz * 1e3) if macs else nan,
               utilization=executed / (cycles * hw.num_pes) if macs and cycles else nan,
               area_mm2=hw.area_mm2, failed_layers=failed, pareto=False)
    return row


def table(ev: Evaluator, items: list[tuple[Point, str]]) -> pd.DataFrame:
    """Rows for every (point, dataflow) item x network x batch: network, batch, point, dataflow order."""
    p = ev.p
    rows = [row_for(ev, point, name, batch, net, df) for name, batch, net in p.networks for point, df in items]
    frame = pd.DataFrame(rows, columns=["network", "batch", "dataflow", "objective", *p.paths, *TABLE_FIGURES])
    if len(frame):
        frame["pareto"] = pareto(frame, objectives=tuple(p.spec.pareto)).to_numpy()
    return frame


def sweep(spec_or_path, db, executor: str = "local", workers: int | None = None, scheduler: str | None = None,
          quiet: bool = False, summary: bool = True) -> pd.DataFrame:
    """Run the sweep described by ``spec_or_path`` (a YAML path or the spec mapping, see
    ``accelsim.dse.spec``) with results stored in the SQLite file ``db`` (created if missing;
    finished evaluations are reused, so an interrupted sweep resumes where it stopped).

    Returns the results table, one row per (hardware point, network, batch, dataflow): network,
    batch, dataflow, objective, each varied dotted path, point (content hash of the hardware),
    macs (of the mapped layers), energy (in energy_unit), energy_unit, energy_per_mac, cycles,
    latency_ms, utilization (MACs / (cycles x PEs)), area_mm2, failed_layers (layers with no legal
    mapping: their energy and cycles are not in the totals), pareto (on the front of the spec's
    ``pareto`` figures within its network and batch). ``frame.attrs`` holds ``points``,
    ``computed``, ``reused`` and ``skipped`` (points outside the constraints, with the reason).

    ``executor``: 'local' (``workers`` processes, default all cores: this one and workers-1
    spawned) or 'dask' (``scheduler`` address, or a LocalCluster). ``quiet``: no progress bar (it
    is only shown on a terminal anyway). ``summary``: print the last line ``sweep: R rows (P
    points), C computed, K reused from DB`` on stderr."""
    p = plan(spec_or_path)
    with Session(executor, workers, scheduler) as session, Store(db) as store:
        ev = Evaluator(p, store, session, quiet)
        if p.spec.search.method == "optuna":
            from accelsim.dse.guided import optuna_search

            items = optuna_search(p, ev)
        else:
            items = [(pt, df) for pt in p.points if not pt.skipped for df in p.dataflows]
            ev.ensure(items)
        frame = table(ev, items)
        npoints = len({pt.point for pt, _ in items})
        skipped = [{**pt.values, "point": pt.point, "reason": pt.skipped} for pt in p.points if pt.skipped]
        frame.attrs.update(points=npoints, computed=ev.computed, reused=len(ev.reused), skipped=skipped)
        store.put_sweep(_spec_json(p), json.dumps(frame.to_dict(orient="split"), default=_plain))
    if summary:
        if skipped:
            print(f"sweep: {len(skipped)} points skipped by constraints (e.g. {skipped[0]['reason']})",
                  file=sys.stderr)
        print(f"sweep: {len(frame)} rows ({npoints} points), {ev.computed} computed, {len(ev.reused)} reused "
              f"from {db}", file=sys.stderr)
    return frame


def _plain(value):
    return value.item() if hasattr(value, "item") else str(value)


def _spec_json(p: Plan) -> str:
    doc = p.spec.model_dump(mode="json")
    doc["resolved"] = {"networks": [n for n, _, _ in p.networks], "dataflows": p.dataflows, "base": p.base.name}
    return json.dumps(doc, sort_keys=True)


def load_table(db) -> pd.DataFrame:
    """The results table of the most recently finished sweep in ``db``."""
    with Store(db, readonly=True) as store:
        last = store.last_sweep()
    if last is None:
        raise ConfigError(f"--db {db}: no finished sweep in this database yet")
    doc = json.loads(last[1])
    return pd.DataFrame(doc["data"], columns=doc["columns"])
