"""The sweep spec: a YAML file (or the same mapping in Python), validated with pydantic; every
error is one line naming the key path (``hw.vary.pe_array.rows: empty list``).

    networks: [alexnet, mobilenet_v1]     # zoo names or workload files (relative to the spec file)
    batch: 1                              # int or list of ints
    dataflows: [rs, ws]                   # or: all (the 7 dataflows of `--dataflow all`)
    objective: energy                     # what the mapper minimises per layer: energy | cycles | edp
    hw:
      base: eyeriss_v1                    # shipped name or config path
      set: {energy.table: horowitz_45nm}  # optional fixed overrides (dotted paths), applied first
      vary:                               # dotted path -> list, or {range: [lo, hi], scale, steps}
        pe_array.rows: [8, 12, 16, 32]
        pe_array.cols: [8, 14, 16, 32]
        levels.glb.shared_capacity_words: {range: [16384, 262144], scale: log, steps: 5}
      zip: [[pe_array.rows, pe_array.cols]]   # vary these together instead of their product
    constraints: {max_area_mm2: 12}       # points outside are skipped (recorded, not computed)
    search: {method: grid}                # grid | random {samples, seed} | optuna {trials, seed, sampler}
    pareto: [energy, cycles, area_mm2]    # the figures of the table's `pareto` column (2 or 3)

``load_spec`` checks the document only; ``accelsim.dse.sweep.plan`` then checks what needs the
workloads and hardware (networks exist, every point's hardware derives) before any evaluation.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, ValidationError, field_validator, model_validator

from accelsim.errors import ConfigError

MAX_SPEC_BYTES = 1_000_000
FIGURES = ("area_mm2", "storage_area_mm2", "num_pes")  # hardware figures a constraint may bound
PARETO_FIGURES = ("energy", "cycles", "latency_ms", "area_mm2", "energy_per_mac")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Number = int | float


class Range(_Strict):
    """``steps`` values from ``range[0]`` to ``range[1]`` inclusive, evenly spaced (linear) or
    geometrically (log); integers when both ends are integers (rounded to the nearest)."""

    range: tuple[Number, Number]
    scale: Literal["linear", "log"] = "linear"
    steps: int = Field(ge=2, le=10_000)

    @model_validator(mode="after")
    def _check(self):
        lo, hi = self.range
        if not (math.isfinite(lo) and math.isfinite(hi)) or lo >= hi:
            raise ValueError(f"range must be [low, high] with low < high, got [{lo}, {hi}]")
        if self.scale == "log" and lo <= 0:
            raise ValueError(f"a log range needs low > 0, got {lo}")
        if self.integer and len(set(self.values())) < self.steps:
            raise ValueError(f"{self.steps} integer steps in [{lo}, {hi}] repeat values; use fewer steps")
        return self

    @property
    def integer(self) -> bool:
        return all(isinstance(v, int) and not isinstance(v, bool) for v in self.range)

    def values(self) -> list:
        lo, hi = self.range
        n = self.steps
        if self.scale == "linear":
            out = [lo + (hi - lo) * i / (n - 1) for i in range(n)]
        else:
            out = [lo * (hi / lo) ** (i / (n - 1)) for i in range(n)]
        out[0], out[-1] = lo, hi
        return [int(round(v)) for v in out] if self.integer else [float(v) for v in out]


def _values_kind(v) -> str:
    return "values-range" if isinstance(v, dict) or isinstance(v, Range) else "values-list"


Values = Annotated[Annotated[Annotated[list[Any], Field(min_length=1)], Tag("values-list")]
                   | Annotated[Range, Tag("values-range")], Discriminator(_values_kind)]


class HwSweep(_Strict):
    base: str = Field(min_length=1)
    set: dict[str, Any] = {}
    vary: dict[str, Values] = {}
    zip: list[Annotated[list[str], Field(min_length=2)]] = []

    @model_validator(mode="after")
    def _check_zip(self):
        seen: set[str] = set()
        for i, group in enumerate(self.zip):
            for path in group:
                if path not in self.vary:
                    raise ValueError(f"zip[{i}]: {path!r} is not a parameter in hw.vary")
                if path in seen:
                    raise ValueError(f"zip[{i}]: {path!r} appears in more than one zip group")
                seen.add(path)
            lengths = {p: len(self.values(p)) for p in group}
            if len(set(lengths.values())) > 1:
                shown = ", ".join(f"{p} has {n}" for p, n in lengths.items())
                raise ValueError(f"zip[{i}]: zipped parameters need equal numbers of values ({shown})")
        for path in self.set:
            if path in self.vary:
                raise ValueError(f"{path!r} is both in hw.set and hw.vary")
        return self

    def values(self, path: str) -> list:
        v = self.vary[path]
        return v.values() if isinstance(v, Range) else list(v)


class Grid(_Strict):
    method: Literal["grid"]


class Random(_Strict):
    method: Literal["random"]
    samples: int = Field(ge=1, le=10_000_000)
    seed: int = 0


class Optuna(_Strict):
    method: Literal["optuna"]
    trials: int = Field(ge=1, le=1_000_000)
    seed: int = 0
    sampler: Literal["tpe", "nsga2"] = "tpe"


class SweepSpec(_Strict):
    networks: Annotated[list[str], Field(min_length=1)]
    batch: int | Annotated[list[int], Field(min_length=1)] = 1
    dataflows: Annotated[Annotated[Literal["all"], Tag("values-all")]
                         | Annotated[Annotated[list[str], Field(min_length=1)], Tag("values-list")],
                         Discriminator(lambda v: "values-list" if isinstance(v, list) else "values-all")] = "all"
    objective: Literal["energy", "cycles", "edp"] = "energy"
    hw: HwSweep
    constraints: dict[str, Number] = {}
    search: Annotated[Grid | Random | Optuna, Field(discriminator="method")] = Grid(method="grid")
    pareto: Annotated[list[Literal[PARETO_FIGURES]], Field(min_length=2, max_length=3)] = [  # type: ignore[valid-type]
        "energy", "cycles", "area_mm2"]

    @field_validator("batch")
    @classmethod
    def _batch(cls, v):
        for b in [v] if isinstance(v, int) else v:
            if isinstance(b, bool) or b <= 0:
                raise ValueError(f"batch must be a positive integer, got {b!r}")
        return v

    @field_validator("constraints")
    @classmethod
    def _constraints(cls, v):
        known = [f"{b}_{f}" for f in FIGURES for b in ("max", "min")]
        for key in v:
            if key not in known:
                raise ValueError(f"unknown constraint {key!r}; expected one of {', '.join(known)}")
        return v

    @property
    def batches(self) -> list[int]:
        return [self.batch] if isinstance(self.batch, int) else list(self.batch)


_UNION_TAGS = ("function-", "constrained-", "values-", "list[", "int", "float", "str", "bool", "grid", "random",
               "optuna", "literal[", "tuple[")


def _message(exc: ValidationError) -> str:
    err = exc.errors(include_url=False)[0]
    loc = [str(p) for p in err["loc"] if not str(p).startswith(_UNION_TAGS)]
    field = ".".join(loc) or "(top level)"
    kind = err["type"]
    msg = err["msg"].removeprefix("Value error, ")
    if kind == "missing":
        return f"{field}: missing (required)"
    if kind == "extra_forbidden":
        return f"{field}: unknown key"
    if kind in ("too_short",) and err.get("input") == []:
        return f"{field}: empty list"
    given = err.get("input")
    shown = "" if isinstance(given, (dict, list)) or kind == "value_error" else f" (got {given!r:.60})"
    return f"{field}: {msg}{shown}"


def load_spec(spec_or_path) -> tuple[SweepSpec, Path]:
    """(validated spec, folder that relative paths in it are relative to). Accepts a path to a
    YAML file, or the mapping itself (paths then relative to the working directory)."""
    if isinstance(spec_or_path, SweepSpec):
        return spec_or_path, Path(".")
    if isinstance(spec_or_path, dict):
        doc, where, folder = spec_or_path, "sweep spec", Path(".")
    elif isinstance(spec_or_path, (str, Path)):
        path = Path(spec_or_path)
        where, folder = str(path), path.parent
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise ConfigError(f"sweep spec {path}: cannot read: {exc.strerror or exc}") from None
        if len(raw) > MAX_SPEC_BYTES:
            raise ConfigError(f"sweep spec {path}: {len(raw):,} bytes is too large for a sweep spec")
        try:
            doc = yaml.safe_load(raw.decode("utf-8"))
        except UnicodeDecodeError:
            raise ConfigError(f"sweep spec {path}: not a text (UTF-8) YAML file") from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
            raise ConfigError(f"sweep spec {path}: YAML syntax error{at}: "
                              f"{getattr(exc, 'problem', None) or 'invalid YAML'}") from None
        if not isinstance(doc, dict):
            raise ConfigError(f"sweep spec {path}: expected a mapping (networks, dataflows, hw, ...) at the top")
    else:
        raise ConfigError(f"a sweep spec is a YAML path or a mapping, got {type(spec_or_path).__name__}")
    try:
        spec = SweepSpec.model_validate(doc)
    except ValidationError as exc:
        raise ConfigError(f"{where}: {_message(exc)}") from None
    from accelsim.arch.derive import check_path

    for section in ("set", "vary"):
        for path in getattr(spec.hw, section):
            try:
                check_path(path)
            except ConfigError as exc:
                raise ConfigError(f"{where}: hw.{section}.{path}: {exc}") from None
    return spec, folder
