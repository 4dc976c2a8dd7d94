"""Content hashes: what makes two evaluations the same evaluation.

An evaluation is keyed by (loop nest, hardware content, dataflow, objective, model version):
  * loop nest: ``Layer.nest`` (N G M C E F R S, stride and dilation per axis): layers with equal
    nests have identical mapspaces and costs, whatever network or point they come from;
  * hardware content: every Hardware field the mapper reads (array, clock, word width, MAC
    energy and unit, per level capacities, energies, bandwidth, bypass; the NoC) and nothing else
    (not the name, the file, the area), so two points that build the same hardware share work;
  * model version: accelsim's version and a hash of the mapper's source (accelsim/mapping/*.py),
    so a changed cost model never reuses an old number.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path


def _digest(obj) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _num(v):
    return None if v is None else repr(float(v))  # repr round-trips a float exactly


def hw_content(hw) -> dict:
    """The fields of ``hw`` the mapper reads, as JSON-able data (floats as exact reprs)."""
    levels = []
    for lvl in hw.levels:
        capacity = None if lvl.capacity_words is None else list(lvl.capacity_words)
        levels.append({"name": lvl.name, "capacity_words": capacity,
                       "shared_capacity_words": lvl.shared_capacity_words, "word_bits": lvl.word_bits,
                       "read_energy": [_num(e) for e in lvl.read_energy],
                       "write_energy": [_num(e) for e in lvl.write_energy],
                       "bandwidth": _num(lvl.bandwidth_words_per_cycle),
                       "bypass": sorted(int(t) for t in lvl.bypass)})
    return {"pe_rows": hw.pe_rows, "pe_cols": hw.pe_cols, "clock_mhz": _num(hw.clock_mhz), "word_bits": hw.word_bits,
            "mac_energy": _num(hw.mac_energy), "energy_unit": hw.energy_unit, "levels": levels,
            "noc": {"multicast": list(hw.noc.multicast), "spatial_reduction": hw.noc.spatial_reduction}}


def hw_key(hw) -> str:
    return _digest(hw_content(hw))


def point_hash(hw) -> str:
    """The `point` column: a short content hash of a hardware point (area included, name not)."""
    return _digest({"hw": hw_content(hw), "area_mm2": _num(hw.area_mm2)})[:12]


def nest_text(nest) -> str:
    return ",".join(str(int(v)) for v in nest)


@cache
def model_version() -> str:
    import accelsim
    import accelsim.mapping as mapping

    h = hashlib.sha256()
    for path in sorted(Path(mapping.__file__).parent.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return f"{accelsim.__version__}+{h.hexdigest()[:16]}"


def eval_key(nest, hwk: str, dataflow: str, objective: str) -> str:
    return _digest([nest_text(nest), hwk, dataflow, objective, model_version()])
