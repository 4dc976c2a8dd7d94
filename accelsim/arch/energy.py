"""Energy per access: the tables a hardware config can name, and the rule that scales SRAM energy
with capacity and word width.

``eyeriss_isca16`` (unit 'normalized'): Chen, Emer, Sze, "Eyeriss: A Spatial Architecture for
Energy-Efficient Dataflow for Convolutional Neural Networks", ISCA 2016, Fig. 7 / Section VI-A:
energy per access relative to a 16-bit MAC, extracted from a commercial 65 nm process:
DRAM 200x, global buffer (>100 kB) 6x, array / inter-PE (1-2 mm) 2x, RF (0.5 kB) 1x, ALU 1x.
Fixed per level: the paper uses them for its fixed-size setups.

``horowitz_45nm`` (unit 'pJ'): M. Horowitz, "Computing's Energy Problem (and what we can do
about it)", ISSCC 2014, energy table for 45 nm at 0.9 V:
  8-bit int add 0.03 pJ, 32-bit int add 0.1 pJ, 8-bit int multiply 0.2 pJ, 32-bit int multiply
  3.1 pJ; SRAM read of 64 bits from an 8 KB array 10 pJ, 32 KB 20 pJ, 1 MB 100 pJ;
  DRAM 1.3-2.6 nJ per 64-bit access.
Derived here (the rules, not further published figures):
  * MAC of w bits = multiply (quadratic in w through the 8-bit point: 0.2 (w/8)^2, which gives
    3.2 pJ at 32 bits against the published 3.1) + add (linear between the 8- and 32-bit points).
    16 bits: 0.8 + 0.047 = 0.847 pJ.
  * SRAM / RF: energy of a 64-bit access interpolates log-log between the three anchors
    (exact there), extrapolated beyond them with the nearest segment's slope (sqrt below 8 KB:
    bit-line energy ~ sqrt(capacity)); a w-bit word costs w/64 of it. Writes cost as reads.
  * DRAM: the low end, 1.3 nJ / 64 bits = 20.3 pJ per bit.
  * NoC: Horowitz gives no on-chip network figure; a word delivered across the array costs
    2 MACs, the Eyeriss ratio above.
"""

from __future__ import annotations

import math

TABLES = ("eyeriss_isca16", "horowitz_45nm")

EYERISS_NORMALIZED = {"mac": 1.0, "rf": 1.0, "noc": 2.0, "glb": 6.0, "dram": 200.0}

# (capacity in bytes, energy of a 64-bit read in pJ): Horowitz ISSCC 2014, 45 nm
SRAM_ANCHORS_45NM = ((8 * 1024, 10.0), (32 * 1024, 20.0), (1024 * 1024, 100.0))
DRAM_PJ_PER_64_BITS = 1300.0
INT_ADD_PJ = ((8, 0.03), (32, 0.1))
INT_MULT_8BIT_PJ = 0.2
NOC_MACS_PER_WORD = 2.0


def mac_pj(word_bits: int) -> float:
    """Energy of one integer multiply-accumulate of ``word_bits`` operands at 45 nm, pJ."""
    (b0, e0), (b1, e1) = INT_ADD_PJ
    add = e0 + (e1 - e0) * (word_bits - b0) / (b1 - b0)
    return INT_MULT_8BIT_PJ * (word_bits / 8) ** 2 + max(add, 0.0)


def sram_access_pj(capacity_bytes: float, word_bits: int) -> float:
    """Energy of reading (or writing) one ``word_bits`` word of an SRAM / RF of ``capacity_bytes``
    at 45 nm, pJ: log-log interpolation of Horowitz's 64-bit anchors, times word_bits / 64."""
    if capacity_bytes <= 0:
        raise ValueError("capacity must be positive")
    pts = SRAM_ANCHORS_45NM
    x = math.log(capacity_bytes)
    if capacity_bytes <= pts[0][0]:
        (c0, e0), (c1, e1) = pts[0], pts[1]
    elif capacity_bytes >= pts[-1][0]:
        (c0, e0), (c1, e1) = pts[-2], pts[-1]
    else:
        i = next(i for i in range(len(pts) - 1) if pts[i][0] <= capacity_bytes <= pts[i + 1][0])
        (c0, e0), (c1, e1) = pts[i], pts[i + 1]
    slope = (math.log(e1) - math.log(e0)) / (math.log(c1) - math.log(c0))
    e64 = math.exp(math.log(e0) + slope * (x - math.log(c0)))
    return e64 * word_bits / 64


def dram_access_pj(word_bits: int) -> float:
    return DRAM_PJ_PER_64_BITS * word_bits / 64


def level_energy(table: str, level: str, word_bits: int, capacity_bytes: float | None) -> float:
    """Energy per word access of a level under a named table (capacity: of one instance, bytes;
    None where the table does not need it)."""
    if table == "eyeriss_isca16":
        return EYERISS_NORMALIZED[level]
    if level == "dram":
        return dram_access_pj(word_bits)
    if level == "noc":
        return NOC_MACS_PER_WORD * mac_pj(word_bits)
    if capacity_bytes is None or capacity_bytes <= 0:
        raise ValueError(f"the {table} table derives {level} energy from its capacity, which is not set")
    return sram_access_pj(capacity_bytes, word_bits)


def table_unit(table: str) -> str:
    return "normalized" if table == "eyeriss_isca16" else "pJ"


def table_mac(table: str, word_bits: int) -> float:
    return EYERISS_NORMALIZED["mac"] if table == "eyeriss_isca16" else mac_pj(word_bits)
