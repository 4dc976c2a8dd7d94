"""The hardware domain objects the mapper consumes (built and validated by ``accelsim.arch.load``).

Per-datatype quantities are tuples indexed by ``accelsim.datatypes.Datatype`` (weights, ifmap,
psum). Capacities are in words of ``Hardware.word_bits``; energies per word in
``Hardware.energy_unit`` ('normalized': a MAC = 1, as in Eyeriss ISCA 2016; or 'pJ')."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from accelsim.datatypes import Datatype

LEVEL_NAMES = ("dram", "glb", "noc", "rf")


@dataclass(frozen=True)
class Level:
    """One storage level. ``capacity_words`` per datatype (rf: per PE; None = unbounded; 0 = cannot
    hold it) unless the level has one ``shared_capacity_words`` for all datatypes it holds (then
    ``capacity_words`` is None). For 'noc', ``read_energy`` = ``write_energy`` = energy per word
    delivered to or sent from a PE. ``bandwidth_words_per_cycle``: dram/glb whole level, rf per
    PE, noc whole array; None = unlimited. ``area_mm2`` covers every instance (all PEs' RFs)."""

    name: str
    capacity_words: tuple[int | None, int | None, int | None] | None
    shared_capacity_words: int | None
    word_bits: int
    read_energy: tuple[float, float, float]
    write_energy: tuple[float, float, float]
    bandwidth_words_per_cycle: float | None
    bypass: frozenset[Datatype]
    area_mm2: float

    def holds(self, t: Datatype) -> bool:
        if t in self.bypass:
            return False
        if self.shared_capacity_words is not None:
            return self.shared_capacity_words > 0
        return self.capacity_words is None or self.capacity_words[t] != 0

    def capacity_bits(self) -> int | None:
        """Storage of one instance in bits (None: unbounded)."""
        if self.shared_capacity_words is not None:
            return self.shared_capacity_words * self.word_bits
        if self.capacity_words is None or any(c is None for c in self.capacity_words):
            return None
        return sum(self.capacity_words) * self.word_bits


@dataclass(frozen=True)
class Noc:
    """The array network: per datatype, whether one parent read can be delivered to many PEs
    (multicast); whether psums may be forwarded and added between PEs (spatial reduction)."""

    multicast: tuple[bool, bool, bool]
    spatial_reduction: bool
    patterns: tuple[str, ...] = ()


_BUILDING = threading.local()  # set by accelsim.arch.load.build while it constructs a Hardware


def model_view(hw: Hardware, **changes) -> Hardware:
    """A copy of ``hw`` with ``changes`` to its figures that is deliberately NOT checked against
    its config: the cost model's internal view of a design (e.g. the sparse model's per-word
    energies and compressed capacities, accelsim.sparsity.model.effective_hardware). Never
    returned to users as a design of its own; a design variant is ``hw.derive({...})``."""
    from dataclasses import replace

    _BUILDING.active = True
    try:
        return replace(hw, **changes)
    finally:
        _BUILDING.active = False


@dataclass(frozen=True)
class Hardware:
    """An accelerator: a PE array under a DRAM -> GLB -> NoC -> RF hierarchy.

    Built only from a validated config (``accelsim.load_hw``; variants with ``derive``): ``spec``
    keeps that config (the YAML mapping, validated), and every other field is derived from it.
    Changing a field by hand (``dataclasses.replace(hw, pe_rows=32)``) raises ConfigError rather
    than leave area and energies describing the old design; use ``hw.derive({"pe_array.rows": 32})``.
    Equality compares the derived figures, not ``path`` (where the config was read from)."""

    name: str
    source: str
    path: str = field(compare=False)
    pe_rows: int
    pe_cols: int
    clock_mhz: float
    word_bits: int
    mac_energy: float
    energy_unit: str
    energy_table: str
    technology_nm: int | None
    levels: tuple[Level, ...]
    noc: Noc
    default_dataflow: str
    area_mm2: float
    pe_area_mm2: float = 0.0
    sparsity: Sparsity | None = None  # zero gating / skipping / compressed formats (None: dense hardware)
    spec: object = field(default=None, compare=False, repr=False)  # the validated HardwareSpec

    def __post_init__(self) -> None:
        if getattr(_BUILDING, "active", False):
            return
        from accelsim.arch.derive import check_consistent

        check_consistent(self)

    def derive(self, overrides) -> Hardware:
        """A new validated Hardware: this config with ``overrides`` applied, ``{"dotted.path":
        value}`` with the paths of the hardware YAML (e.g. ``"pe_array.rows"``,
        ``"levels.glb.shared_capacity_words"``, ``"energy.table"``); area and size-scaled
        energies are recomputed. An unknown path or a bad value raises ConfigError naming it."""
        from accelsim.arch.derive import derive

        return derive(self, overrides)

    def to_config(self) -> dict:
        """The config mapping this Hardware is built from (loads back with ``load_hw``)."""
        from accelsim.arch.derive import config_mapping

        return config_mapping(self)

    def to_yaml(self) -> str:
        """The config as YAML text that loads back (``load_hw``, ``--hw FILE``) to an equal Hardware."""
        from accelsim.arch.derive import config_yaml

        return config_yaml(self)

    def level(self, name: str) -> Level:
        for lvl in self.levels:
            if lvl.name == name:
                return lvl
        raise KeyError(name)

    @property
    def num_pes(self) -> int:
        return self.pe_rows * self.pe_cols

    @property
    def storage_area_mm2(self) -> float:
        """On-chip storage area: the GLB and every PE's register files."""
        return self.level("glb").area_mm2 + self.level("rf").area_mm2


@dataclass(frozen=True)
class Format:
    """A compressed format of one datatype at one level (see ``accelsim.sparsity.formats``):
    kind rlc (``run_bits`` run + ``value_bits`` value, ``pairs_per_word`` pairs per ``word_bits``
    word), bitmask (1 bit per element) or csc (``index_bits`` per nonzero, ``pointer_bits`` per
    column of ``column_length`` elements). ``only_if_smaller``: the layer's configuration turns
    the codec off for a datatype whose expected compressed size is not smaller than dense."""

    kind: str
    run_bits: int = 5
    value_bits: int = 16
    pairs_per_word: int = 3
    word_bits: int = 64
    index_bits: int = 4
    pointer_bits: int = 16
    column_length: int = 16
    only_if_smaller: bool = False


@dataclass(frozen=True)
class Sparsity:
    """Hardware sparsity features. ``gating``: operands whose zero value gates the other operands'
    RF reads, the MAC and the psum update, each then costing ``gated_cost`` of a real one (the
    cycle is still spent). ``skipping``: operands whose zeros are skipped (no energy, no cycle);
    ``load_imbalance``: PEs wait for the slowest in each RF pass. ``formats``: ((level, datatype,
    Format), ...) for levels dram, glb, rf (rf: the fills and the NoC transfers into the PEs)."""

    gating: frozenset = frozenset()
    gated_cost: float = 0.0
    skipping: frozenset = frozenset()
    load_imbalance: bool = True
    formats: tuple = ()
    source: str = ""

    def format(self, level: str, t) -> Format | None:
        for lvl, dt, fmt in self.formats:
            if lvl == level and dt == t:
                return fmt
        return None
