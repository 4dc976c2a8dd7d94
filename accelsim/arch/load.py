"""Hardware configs: YAML file or shipped name -> validated ``Hardware`` (one module boundary:
``schema`` validates the document, this module builds the domain object, derives energies from
the named table and areas from the area model, and checks what the schema alone cannot)."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from accelsim.arch import area, energy
from accelsim.arch.schema import HardwareSpec, LevelSpec
from accelsim.arch.spec import _BUILDING, LEVEL_NAMES, Format, Hardware, Level, Noc, Sparsity
from accelsim.datatypes import Datatype
from accelsim.errors import ConfigError
from accelsim.safeinput import InputRefused, load_yaml, read_regular_file

MAX_CONFIG_BYTES = 1_000_000


@dataclass(frozen=True)
class HwEntry:
    name: str
    source: str
    path: str


def _shipped() -> dict[str, Path]:
    import accelsim.hwconfigs as pkg

    folder = Path(pkg.__file__).parent
    return {p.stem: p for p in sorted(folder.glob("*.yaml"))}


def list_hw() -> list[HwEntry]:
    """Every shipped config: name, source (first line), path."""
    out = []
    for name, path in _shipped().items():
        hw = load_hw(path)
        out.append(HwEntry(name, hw.source.splitlines()[0] if hw.source else "", str(path)))
    return out


def load_hw(name_or_path) -> Hardware:
    """A shipped config by name (``accelsim list hw``) or a YAML file -> Hardware. Raises
    ConfigError with one line naming the file and the field."""
    if isinstance(name_or_path, Hardware):
        return name_or_path
    if isinstance(name_or_path, Mapping):
        return from_mapping(name_or_path)
    if not isinstance(name_or_path, (str, Path)):
        raise ConfigError(f"a hardware config is a name, a YAML path or a mapping of the YAML's fields, "
                          f"got {type(name_or_path).__name__}")
    text = str(name_or_path)
    shipped = _shipped()
    if text in shipped:
        return _load_file(shipped[text])
    path = Path(text)
    try:
        is_file = path.exists()  # a FIFO, device or folder is refused by name in _load_file
    except OSError:
        is_file = False
    if is_file:
        return _load_file(path)
    if path.suffix.lower() in (".yaml", ".yml") or "/" in text:
        raise ConfigError(f"hardware config file {text} does not exist")
    close = difflib.get_close_matches(text, shipped, n=3)
    hint = f"; did you mean {', '.join(close)}?" if close else f"; shipped: {', '.join(shipped)}"
    raise ConfigError(f"unknown hardware config {text!r}{hint}")


def from_mapping(doc: Mapping, where: str = "hardware config mapping") -> Hardware:
    """A config given as the YAML's mapping (``{"name": ..., "pe_array": {...}, "levels": ...}``)
    -> validated Hardware; ConfigError names ``where`` and the field."""
    if not isinstance(doc, Mapping):
        raise ConfigError(f"{where}: expected a mapping of hardware fields, found {type(doc).__name__}")
    try:
        spec = HardwareSpec.model_validate(dict(doc))
    except ValidationError as exc:
        raise ConfigError(f"{where}: {_first_error(exc)}") from None
    return build(spec, where)


def _load_file(path: Path) -> Hardware:
    where = str(path)
    try:
        raw = read_regular_file(path, MAX_CONFIG_BYTES)
    except InputRefused as exc:
        raise ConfigError(f"{where}: {exc}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{where}: not a text (UTF-8) YAML file") from None
    try:
        doc = load_yaml(text)
    except InputRefused as exc:
        raise ConfigError(f"{where}: {exc}") from None
    if doc is None:
        raise ConfigError(f"{where}: empty file; expected a hardware config mapping (name, pe_array, levels, ...)")
    if not isinstance(doc, dict):
        raise ConfigError(f"{where}: expected a mapping of hardware fields at the top, found {type(doc).__name__}")
    try:
        spec = HardwareSpec.model_validate(doc)
    except ValidationError as exc:
        raise ConfigError(f"{where}: {_first_error(exc)}") from None
    return build(spec, where)


_UNION_TAGS = ("function-", "constrained-", "float", "int", "PerDatatype")  # pydantic's union-branch names


def _first_error(exc: ValidationError) -> str:
    err = exc.errors(include_url=False)[0]
    loc = [str(p) for p in err["loc"] if not str(p).startswith(_UNION_TAGS)]
    field = ".".join(loc) or "(top level)"
    kind = err["type"]
    if kind == "missing":
        return f"field {field}: missing (required)"
    if kind == "extra_forbidden":
        parent = ".".join(loc[:-1]) or "the top level"
        return f"field {field}: unknown key {loc[-1]!r} in {parent}"
    given = err.get("input")
    shown = repr(given) if not isinstance(given, (dict, list)) else type(given).__name__
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return f"field {field}: {err['msg']} (got {shown})"


def _per_type(value, default) -> tuple[float, float, float]:
    if value is None:
        return default
    if isinstance(value, (int, float)):
        return (float(value),) * 3
    return (float(value.weights), float(value.ifmap), float(value.psum))


def build(spec: HardwareSpec, where: str = "") -> Hardware:
    """Domain object from a validated spec: capacities, energies (explicit or from the table),
    areas from the area model."""
    table = spec.energy.table
    if table is None and spec.energy.unit is None:
        raise ConfigError(f"{where}: field energy: give a table ({', '.join(energy.TABLES)}) or a unit "
                          "(normalized or pJ) with explicit energies")
    unit = energy.table_unit(table) if table else spec.energy.unit
    if table and spec.energy.unit and spec.energy.unit != unit:
        raise ConfigError(f"{where}: field energy.unit: table {table} is in {unit}, not {spec.energy.unit}")
    bits = spec.word_bits
    tech = spec.technology_nm
    if spec.energy.mac is not None:
        mac = spec.energy.mac
    elif table:
        mac = energy.table_mac(table, bits)
    else:
        raise ConfigError(f"{where}: field energy.mac: required when no energy table is named")
    num_pes = spec.pe_array.rows * spec.pe_array.cols
    levels = []
    for name in LEVEL_NAMES:
        ls: LevelSpec = getattr(spec.levels, name)
        levels.append(_level(name, ls, table, bits, tech, num_pes, where))
    if spec.levels.dram.bypass:
        raise ConfigError(f"{where}: field levels.dram.bypass: DRAM holds every datatype; it cannot be bypassed")
    if spec.levels.noc.bypass:
        raise ConfigError(f"{where}: field levels.noc.bypass: the NoC stores nothing; use glb or rf bypass")
    multicast = tuple(t.short in spec.noc.multicast for t in Datatype)
    pe_area = num_pes * area.mac_area_mm2(bits, tech)
    total = pe_area + sum(lvl.area_mm2 for lvl in levels)
    _BUILDING.active = True  # the fields below are derived from spec: no consistency re-check
    try:
        return Hardware(name=spec.name, source=spec.source, path=where, pe_rows=spec.pe_array.rows,
                        pe_cols=spec.pe_array.cols, clock_mhz=spec.clock_mhz, word_bits=bits, mac_energy=mac,
                        energy_unit=unit, energy_table=table or "", technology_nm=tech, levels=tuple(levels),
                        noc=Noc(multicast, spec.noc.spatial_reduction, tuple(spec.noc.patterns)),
                        default_dataflow=spec.default_dataflow, area_mm2=total, pe_area_mm2=pe_area,
                        sparsity=_sparsity(spec.sparsity, where), spec=spec)
    finally:
        _BUILDING.active = False


def _level(name: str, ls: LevelSpec, table, bits: int, tech, num_pes: int, where: str) -> Level:
    field = f"levels.{name}"
    caps = None
    if ls.capacity_words is not None and ls.shared_capacity_words is not None:
        raise ConfigError(f"{where}: field {field}: give capacity_words (per datatype) or shared_capacity_words, "
                          "not both")
    if name in ("dram", "noc") and (ls.capacity_words is not None or ls.shared_capacity_words is not None):
        raise ConfigError(f"{where}: field {field}.capacity_words: the {name} level has no capacity to set")
    if name in ("glb", "rf") and ls.capacity_words is None and ls.shared_capacity_words is None:
        raise ConfigError(f"{where}: field {field}: missing capacity_words or shared_capacity_words (words)")
    if ls.capacity_words is not None:
        c = ls.capacity_words
        caps = (c.weights, c.ifmap, c.psum)
        if any(v is None for v in caps):
            missing = [t.short for t, v in zip(Datatype, caps, strict=True) if v is None]
            raise ConfigError(f"{where}: field {field}.capacity_words.{missing[0]}: missing (words, 0 = not held)")
    # energy per access
    if ls.read_energy is None and table is None:
        raise ConfigError(f"{where}: field {field}.read_energy: required when no energy table is named")
    per_type_bytes = _instance_bytes(caps, ls.shared_capacity_words, bits)
    derived = []
    for t in Datatype:
        if ls.read_energy is not None:
            derived.append(None)
            continue
        size = per_type_bytes[t]
        if table == "horowitz_45nm" and name in ("glb", "rf") and not size:
            derived.append(0.0)  # the level cannot hold it: never accessed
            continue
        derived.append(energy.level_energy(table, name, bits, size))
    read = _per_type(ls.read_energy, tuple(derived))
    write = _per_type(ls.write_energy, read)
    if name == "noc":
        write = read
    # area of every instance
    if name == "glb":
        glb_bits = (ls.shared_capacity_words if ls.shared_capacity_words is not None else sum(caps)) * bits
        area_mm2 = area.sram_area_mm2(glb_bits, tech)
    elif name == "rf":
        rf_bits = (ls.shared_capacity_words if ls.shared_capacity_words is not None else sum(caps)) * bits
        area_mm2 = num_pes * area.rf_area_mm2(rf_bits, tech)
    else:
        area_mm2 = 0.0
    return Level(name=name, capacity_words=caps, shared_capacity_words=ls.shared_capacity_words, word_bits=bits,
                 read_energy=read, write_energy=write, bandwidth_words_per_cycle=ls.bandwidth_words_per_cycle,
                 bypass=frozenset(Datatype.parse(t) for t in ls.bypass), area_mm2=area_mm2)


def _instance_bytes(caps, shared, bits) -> tuple:
    """Bytes of the array each datatype's accesses go to (its own spad, or the shared one)."""
    if shared is not None:
        return (shared * bits / 8,) * 3
    if caps is None:
        return (None, None, None)
    return tuple(c * bits / 8 for c in caps)


def _sparsity(spec, where: str) -> Sparsity | None:
    """The hardware's sparsity features (None when the config has no ``sparsity`` section)."""
    if spec is None:
        return None
    formats = []
    for level in ("dram", "glb", "rf"):
        per = getattr(spec.formats, level)
        if per is None:
            continue
        for t in Datatype:
            fs = getattr(per, t.short)
            if fs is None:
                continue
            field = f"sparsity.formats.{level}.{t.short}"
            if t == Datatype.PSUM and level != "dram":
                raise ConfigError(f"{where}: field {field}: only the ofmap written to DRAM can be compressed "
                                  "(partial sums are dense)")
            if fs.kind == "rlc" and fs.pairs_per_word * (fs.run_bits + fs.value_bits) > fs.word_bits:
                raise ConfigError(f"{where}: field {field}: {fs.pairs_per_word} pairs of {fs.run_bits} + "
                                  f"{fs.value_bits} bits do not fit a {fs.word_bits}-bit word")
            formats.append((level, t, Format(**fs.model_dump())))
    return Sparsity(gating=frozenset(Datatype.parse(x) for x in spec.gating), gated_cost=float(spec.gated_cost),
                    skipping=frozenset(Datatype.parse(x) for x in spec.skipping),
                    load_imbalance=bool(spec.load_imbalance), formats=tuple(formats), source=spec.source)
