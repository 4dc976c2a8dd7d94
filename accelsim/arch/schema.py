"""The YAML schema of a hardware config (pydantic, unknown keys rejected). ``accelsim.arch.load``
turns a validated document into ``accelsim.arch.spec.Hardware``; errors become one line naming
the file, the field path and what is allowed.

    name: eyeriss_v1
    source: "..."                 # where the numbers come from
    technology_nm: 65
    clock_mhz: 200
    word_bits: 16
    pe_array: {rows: 12, cols: 14}
    default_dataflow: rs
    energy: {table: eyeriss_isca16}   # or {unit: pJ, mac: 0.85} with read_energy on every level
    levels:                           # exactly dram, glb, noc, rf
      dram: {bandwidth_words_per_cycle: 4}
      glb: {shared_capacity_words: 55296, bypass: [weights]}
      noc: {}
      rf: {capacity_words: {weights: 224, ifmap: 12, psum: 24}}
    noc: {multicast: [weights, ifmap, psum], spatial_reduction: true}
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

DatatypeName = Literal["weights", "ifmap", "psum"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=False, frozen=True)


class PerDatatypeWords(_Strict):
    weights: int | None = Field(default=None, ge=0, le=2**40)
    ifmap: int | None = Field(default=None, ge=0, le=2**40)
    psum: int | None = Field(default=None, ge=0, le=2**40)


class PerDatatypeEnergy(_Strict):
    weights: float = Field(ge=0, le=1e9)
    ifmap: float = Field(ge=0, le=1e9)
    psum: float = Field(ge=0, le=1e9)


Energy = Annotated[float, Field(ge=0, le=1e9)] | PerDatatypeEnergy


class LevelSpec(_Strict):
    capacity_words: PerDatatypeWords | None = None
    shared_capacity_words: int | None = Field(default=None, ge=0, le=2**40)
    read_energy: Energy | None = None
    write_energy: Energy | None = None
    bandwidth_words_per_cycle: float | None = Field(default=None, ge=1e-3, le=1e9)  # docs/troubleshooting.md
    bypass: tuple[DatatypeName, ...] = ()


class Levels(_Strict):
    dram: LevelSpec
    glb: LevelSpec
    noc: LevelSpec
    rf: LevelSpec


class PeArray(_Strict):
    rows: int = Field(ge=1, le=4096)
    cols: int = Field(ge=1, le=4096)


class EnergySpec(_Strict):
    table: Literal["eyeriss_isca16", "horowitz_45nm"] | None = None
    unit: Literal["normalized", "pJ"] | None = None
    mac: float | None = Field(default=None, ge=0, le=1e9)


class NocSpec(_Strict):
    multicast: tuple[DatatypeName, ...] = ("weights", "ifmap", "psum")
    spatial_reduction: bool = True
    patterns: tuple[str, ...] = ()


class FormatSpec(_Strict):
    """A compressed format (accelsim.sparsity.formats): rlc, bitmask or csc, with its bit widths."""

    kind: Literal["rlc", "bitmask", "csc"]
    run_bits: int = Field(default=5, ge=1, le=32)
    value_bits: int = Field(default=16, ge=1, le=64)
    pairs_per_word: int = Field(default=3, ge=1, le=64)
    word_bits: int = Field(default=64, ge=1, le=4096)
    index_bits: int = Field(default=4, ge=0, le=64)
    pointer_bits: int = Field(default=16, ge=0, le=64)
    column_length: int = Field(default=16, ge=1, le=2**20)
    only_if_smaller: bool = False


class LevelFormats(_Strict):
    weights: FormatSpec | None = None
    ifmap: FormatSpec | None = None
    psum: FormatSpec | None = None


class FormatLevels(_Strict):
    dram: LevelFormats | None = None
    glb: LevelFormats | None = None
    rf: LevelFormats | None = None


class SparsitySpec(_Strict):
    """Optional hardware sparsity features (docs/model.md, Sparsity)."""

    source: str = ""
    gating: tuple[Literal["weights", "ifmap"], ...] = ()
    gated_cost: float = Field(default=0.0, ge=0.0, le=1.0)
    skipping: tuple[Literal["weights", "ifmap"], ...] = ()
    load_imbalance: bool = True
    formats: FormatLevels = FormatLevels()


class HardwareSpec(_Strict):
    name: str = Field(min_length=1, max_length=100)
    source: str = ""
    technology_nm: int | None = Field(default=None, ge=1, le=1000)
    clock_mhz: float = Field(gt=0, le=100_000)
    word_bits: int = Field(default=16, ge=1, le=64)
    pe_array: PeArray
    default_dataflow: Literal["rs", "ws", "ws-systolic", "os", "os-a", "os-b", "os-c", "nlr", "is", "free"] = "rs"
    energy: EnergySpec
    levels: Levels
    noc: NocSpec = NocSpec()
    sparsity: SparsitySpec | None = None
