"""`accelsim list hw` and `accelsim hw show NAME|FILE`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from accelsim.cli.common import emit
from accelsim.datatypes import Datatype

if TYPE_CHECKING:  # annotations only: pandas is imported where a command needs it
    import pandas as pd


def register(sub, lister) -> None:
    p = sub.add_parser("hw", help="hardware configs")
    hw_sub = p.add_subparsers(dest="hw_command", metavar="ACTION")
    hw_sub.required = True
    show = hw_sub.add_parser("show", help="levels, capacities, energy per access and area of a config")
    show.add_argument("config", help="shipped config name (see `accelsim list hw`) or a YAML file")
    show.add_argument("--format", choices=("table", "csv", "json", "yaml"), default="table",
                      help="output format (default table); yaml prints the config itself, which loads back "
                           "as --hw FILE")
    show.set_defaults(func=cmd_hw_show)
    lister["hw"] = cmd_list_hw


def cmd_list_hw(args) -> int:
    import pandas as pd

    from accelsim import api
    from accelsim.report.render import render

    rows = []
    for entry in api.list_hw():
        hw = api.load_hw(entry.path)
        rows.append({"hw": entry.name, "pes": f"{hw.pe_rows}x{hw.pe_cols}", "dataflow": hw.default_dataflow,
                     "energy_unit": hw.energy_unit, "area_mm2": round(hw.area_mm2, 3), "source": entry.source})
    emit(render(pd.DataFrame(rows), "table"))
    return 0


def _words(level, t: Datatype):
    if level.shared_capacity_words is not None:
        return f"{level.shared_capacity_words} shared"
    if level.capacity_words is None:
        return "unbounded" if level.name == "dram" else "-"
    return str(level.capacity_words[t])


def level_frame(hw) -> pd.DataFrame:
    """One row per (level, datatype): capacity in words and bytes, energy per read/write, bandwidth,
    bypass, area of all instances."""
    import pandas as pd

    rows = []
    for lvl in hw.levels:
        for t in Datatype:
            cap = lvl.shared_capacity_words if lvl.shared_capacity_words is not None else (
                lvl.capacity_words[t] if lvl.capacity_words is not None else None)
            rows.append({"level": lvl.name, "datatype": t.short, "capacity_words": _words(lvl, t),
                         "capacity_bytes": "" if cap is None else cap * lvl.word_bits // 8,
                         f"read_energy_{hw.energy_unit}": round(lvl.read_energy[t], 6),
                         f"write_energy_{hw.energy_unit}": round(lvl.write_energy[t], 6),
                         "bandwidth_words_per_cycle": ("unlimited" if lvl.bandwidth_words_per_cycle is None
                                                       else lvl.bandwidth_words_per_cycle),
                         "bypass": "yes" if t in lvl.bypass else "",
                         "area_mm2": round(lvl.area_mm2, 4)})
    return pd.DataFrame(rows)


def cmd_hw_show(args) -> int:
    from accelsim import api
    from accelsim.report.render import render

    hw = api.load_hw(args.config)
    if args.format == "yaml":
        emit(hw.to_yaml())
        return 0
    frame = level_frame(hw)
    multicast = " ".join(t.short for t in Datatype if hw.noc.multicast[t]) or "none"
    summary = (f"{hw.name}: {hw.pe_rows} x {hw.pe_cols} PEs, {hw.word_bits}-bit words, {hw.clock_mhz:g} MHz, "
               f"{hw.technology_nm or '?'} nm; MAC {hw.mac_energy:g} {hw.energy_unit}"
               f"{' (table ' + hw.energy_table + ')' if hw.energy_table else ''}; default dataflow "
               f"{hw.default_dataflow}\nNoC multicast: {multicast}; spatial reduction: "
               f"{'yes' if hw.noc.spatial_reduction else 'no'}\narea: {hw.area_mm2:.3f} mm2 "
               f"(PEs {hw.pe_area_mm2:.3f}, storage {hw.storage_area_mm2:.3f})\nsource: {hw.source}")
    meta = {"hw": hw.name, "source": hw.source, "pe_rows": hw.pe_rows, "pe_cols": hw.pe_cols,
            "clock_mhz": hw.clock_mhz, "word_bits": hw.word_bits, "technology_nm": hw.technology_nm,
            "energy_unit": hw.energy_unit, "mac_energy": hw.mac_energy, "area_mm2": hw.area_mm2,
            "default_dataflow": hw.default_dataflow}
    emit(render(frame, args.format, totals=summary, meta=meta))
    return 0
