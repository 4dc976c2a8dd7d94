"""`accelsim reproduce eyeriss-isca16|eyeriss-jssc17`: the Eyeriss papers' results, ours next to
the published figures (see accelsim/papers/eyeriss.py)."""

from __future__ import annotations

from accelsim.cli.common import add_format, emit

STUDIES = ("eyeriss-isca16", "eyeriss-jssc17")


def register(sub, lister) -> None:
    p = sub.add_parser("reproduce", help="reproduce a paper's results next to its published figures")
    p.add_argument("study", choices=STUDIES)
    add_format(p)
    p.add_argument("--out", default=None, help="write to FILE (atomically) instead of stdout")
    p.add_argument("--plot", default=None, metavar="FILE",
                   help="also draw the study as the paper's figures: FILE.png, FILE.pdf or FILE.svg")
    p.set_defaults(func=cmd_reproduce)


def _isca16_table(frame, layers=None) -> str:
    """Energy per MAC by dataflow (rows) for each (layers, batch), then RS's breakdown by level and,
    given ``layers`` (``eyeriss.isca16_rs_layers()``), RS per layer next to nn_dataflow's figures."""
    from accelsim.mapping.result import ENERGY_LEVELS

    view = frame.pivot_table(index="dataflow", columns=["layers", "batch"], values="energy_per_mac", sort=False)
    ratio = frame.pivot_table(index="dataflow", columns=["layers", "batch"], values="vs_rs", sort=False)
    util = frame.pivot_table(index="dataflow", columns=["layers", "batch"], values="pe_utilization", sort=False)
    rs = frame[frame.dataflow == "rs"].set_index(["layers", "batch"])[[f"energy_per_mac_{lv}" for lv in ENERGY_LEVELS]]
    rs.columns = list(ENERGY_LEVELS)
    fmt = lambda v: f"{v:.3f}"  # noqa: E731
    return "\n".join([
        "Eyeriss ISCA 2016, AlexNet on 256 PEs at equal storage area: energy per MAC (normalized, MAC = 1)",
        view.to_string(float_format=fmt), "",
        f"each layer mapped as parallel as its dataflow allows (min_utilization {frame.min_utilization.iloc[0]:g}, "
        f"else the most PEs it reaches); fill writes {frame.fill_writes.iloc[0]} (ISCA 2016 Eq. (3))", "",
        "energy per MAC over RS's (paper: 1.4x-2.5x in CONV layers; at least 1.3x in FC layers at batch >= 16)",
        ratio.to_string(float_format=fmt), "",
        "PE utilization (active PEs / all PEs, weighted by MACs)",
        util.to_string(float_format=lambda v: f"{v:.2f}"), "",
        "RS energy per MAC by level (paper Figs. 10-11: RF largest in CONV layers, DRAM in FC layers)",
        rs.to_string(float_format=fmt), ""] + ([] if layers is None else [
        "RS per layer at batch 16, energy in 1e9 x MAC energy, next to nn_dataflow's reproduction of Fig. 10 "
        "(a peer's figures)",
        layers.pivot_table(index="layer", columns="part", values=["ours", "nn_dataflow"], sort=False)
        .to_string(float_format=lambda v: f"{v:.2f}"), ""]))


def _jssc17_table(frame) -> str:
    return ("Eyeriss v1 chip (JSSC 2017 Table V; VGG-16 totals from the abstract), RS on eyeriss_v1, "
            "mappings chosen for energy-delay product\n"
            + frame.to_string(index=False, float_format=lambda v: f"{v:.4g}", na_rep="-") + "\n")


def _jssc17_sparse_table(frame) -> str:
    """The chip as built (ifmap gating, RLC feature maps at DRAM, Table V zero fractions): DRAM MB
    per layer next to Table V, and the feature-map DRAM savings next to the paper's."""
    view = frame.pivot_table(index="layer", columns="metric", values="ours", sort=False)
    view.insert(1, "table_v_dram_mb", frame[frame.metric == "dram_mb"].set_index("layer")["published"])
    view.insert(2, "dram_ratio", view["dram_mb"] / view["table_v_dram_mb"])
    return ("\nThe chip as built: ifmap zero gating and run-length-coded feature maps at DRAM, with Table V's "
            "ifmap zero fractions (alexnet density profile eyeriss-jssc17); MB = 1e6 bytes. Paper: RLC saves "
            "nearly 30% of CONV1's and nearly 75% of CONV5's feature-map DRAM accesses\n"
            + view.to_string(float_format=lambda v: f"{v:.3f}") + "\n")


def _jssc17_what_if_table(frame) -> str:
    """The latency sensitivity table (``eyeriss.jssc17_latency_what_if``): not the model's result."""
    from accelsim.papers import eyeriss

    link_mhz = eyeriss.published()["jssc17"]["link_clock"]["mhz"]
    cols = ["network", "layer", "chip_ms", "model_ms", "compute_ms", "serial_core_link_ms", "serial_link_ms",
            "serial_chip_dram_ms", "serial_chip_dram_ratio"]
    return ("\nLatency if the chip's DRAM transfers did not overlap compute (not stated by the papers; a "
            "sensitivity table, not the model's result): compute, then every DRAM word at 4 words per core "
            f"cycle (serial_core_link) or at the {link_mhz} MHz link clock of a slide summary of the chip "
            "(serial_link: the model's DRAM words; serial_chip_dram: Table V's), ms at 200 MHz; "
            "docs/validation.md\n"
            + frame[cols].to_string(index=False, float_format=lambda v: f"{v:.2f}") + "\n")


def cmd_reproduce(args) -> int:
    from accelsim import api
    from accelsim.papers import eyeriss
    from accelsim.report.plots import check_path
    from accelsim.report.render import render

    if args.plot:
        check_path(args.plot)  # before the study's mapping runs, not after them
    if args.study == "eyeriss-isca16":
        frame, table = eyeriss.isca16(), _isca16_table
        meta = {"study": args.study, "citation": eyeriss.published()["isca16"]["citation"],
                "energy_unit": "normalized (MAC = 1)"}
    else:
        frame, table = eyeriss.jssc17(), _jssc17_table
        meta = {"study": args.study, "citation": eyeriss.published()["jssc17"]["citation"]}
    if args.format != "table":
        text = render(frame, args.format, meta=meta)
    elif args.study == "eyeriss-isca16":
        text = table(frame, eyeriss.isca16_rs_layers())
    else:
        text = (table(frame) + _jssc17_what_if_table(eyeriss.jssc17_latency_what_if())
                + _jssc17_sparse_table(eyeriss.jssc17_sparse()))
    emit(text, args.out)
    if args.plot:
        api.plot("isca16" if args.study == "eyeriss-isca16" else "jssc17", frame, out=args.plot)
    return 0
