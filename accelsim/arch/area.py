"""A first-order area model for comparing configurations at equal area (as the Eyeriss ISCA 2016
comparison does: "#PE x Area(512 B RF) + Area(#PE x 512 B global buffer)").

Constants at 45 nm, scaled by (technology / 45 nm)^2:
  * SRAM (global buffer): a 6T bit cell of 0.346 um^2 (Intel 45 nm, Mistry et al., IEDM 2007),
    with array efficiency falling for small macros: area = cell * bits * (1 + 64 / sqrt(bits))
    (periphery ~ sqrt of the array: +6% at 128 KB, +25% at 8 KB).
  * Register files (PE scratchpads): flip-flop / latch storage, 3.0 um^2 per bit including
    read/write ports (assumed; a 45 nm D flip-flop is ~4-5 um^2, a latch cell less).
  * MAC: 2500 um^2 for a 16-bit multiplier + adder, scaling with the square of the width.
These are modelling assumptions, stated so they can be changed; they set the RF/SRAM area ratio
(about 8x per bit for a 512 B RF vs a 128 KB buffer), which is what equal-area splits depend on.
"""

from __future__ import annotations

import math

SRAM_CELL_UM2_45NM = 0.346
SRAM_PERIPHERY = 64.0
RF_BIT_UM2_45NM = 3.0
MAC16_UM2_45NM = 2500.0


def _scale(technology_nm: int | None) -> float:
    return ((technology_nm or 45) / 45.0) ** 2


def sram_area_mm2(bits: float, technology_nm: int | None = 45) -> float:
    if bits <= 0:
        return 0.0
    return SRAM_CELL_UM2_45NM * bits * (1 + SRAM_PERIPHERY / math.sqrt(bits)) * _scale(technology_nm) * 1e-6


def sram_bits_for_area(area_mm2: float, technology_nm: int | None = 45) -> float:
    """Inverse of ``sram_area_mm2`` (bits of SRAM that fit in an area)."""
    target = area_mm2 / (SRAM_CELL_UM2_45NM * _scale(technology_nm) * 1e-6)  # = b + 64 sqrt(b)
    root = (-SRAM_PERIPHERY + math.sqrt(SRAM_PERIPHERY ** 2 + 4 * target)) / 2
    return root * root


def rf_area_mm2(bits: float, technology_nm: int | None = 45) -> float:
    return RF_BIT_UM2_45NM * bits * _scale(technology_nm) * 1e-6


def mac_area_mm2(word_bits: int, technology_nm: int | None = 45) -> float:
    return MAC16_UM2_45NM * (word_bits / 16) ** 2 * _scale(technology_nm) * 1e-6
