"""Accounting conventions that peers differ on, as transformations of a Hardware spec.

accelsim charges every word written into a level: a weight or ifmap word that a DRAM transfer
fills into the GLB costs a GLB write, one the GLB (or DRAM) fills into a PE's register file costs
an RF write (``fill_writes="charged"``, the default; Timeloop does the same).

The ISCA 2016 analysis does not (Chen, Emer, Sze, Sec. VI-A, Eq. (3)): the cost of an input word
(weight or ifmap) is ``a x EC(DRAM) + ab x EC(buffer) + abc x EC(array) + abcd x EC(RF)``, where
a, ab, abc, abcd are the numbers of *reads* at each level; the write that puts the word into the
buffer or the RF is not a term. Its partial-sum cost (``(2a-1) x EC(DRAM) + 2a(b-1) x EC(buffer) +
ab(c-1) x EC(array) + 2abc(d-1) x EC(RF)``) charges a read and a write per accumulation, as
accelsim does. ``fill_writes="free"`` is that convention: weight and ifmap writes into the GLB and
the RF cost nothing (they are still counted: ``counts`` are unchanged, only energy differs).
Partial-sum writes and DRAM writes (ofmaps) are charged either way.

Effect on the ISCA 2016 setup: each weight or ifmap word filled into a PE costs 1 less (RF) and
each one filled into the GLB 6 less, so dataflows that refill register files often (RS's ifmap
windows, WS's single weight) gain the most; see docs/model.md.
"""

from __future__ import annotations

from dataclasses import replace

from accelsim.arch.spec import model_view
from accelsim.datatypes import Datatype
from accelsim.errors import UsageError

FILL_WRITES = ("charged", "free")


def with_fill_writes(hw, fill_writes: str = "charged"):
    """``hw`` itself for "charged"; for "free" a copy whose GLB and RF write energy for weights and
    ifmaps is 0 (ISCA 2016 Eq. (3)). The copy keeps the name; its ``source`` says what changed."""
    if fill_writes not in FILL_WRITES:
        raise UsageError(f"fill_writes must be one of {', '.join(FILL_WRITES)}, got {fill_writes!r}")
    if fill_writes == "charged":
        return hw
    levels = []
    for lvl in hw.levels:
        if lvl.name in ("glb", "rf"):
            write = list(lvl.write_energy)
            write[Datatype.WEIGHTS] = 0.0
            write[Datatype.IFMAP] = 0.0
            lvl = replace(lvl, write_energy=tuple(write))
        levels.append(lvl)
    return model_view(hw, levels=tuple(levels),
                      source=f"{hw.source}; fill writes free (ISCA 2016 Eq. (3): no GLB/RF write charged "
                             f"for weight and ifmap fills)")
