"""Regenerate the README gallery (docs/gallery/*.png), byte for byte the same every run.

    python scripts/make_gallery.py [--out docs/gallery] [NAME ...]

Each figure is one accelsim.plot call on AlexNet (Eyeriss v1 chip, 12 x 14 PEs); about half a
minute in all on one core. tests/report/test_gallery.py regenerates the quick ones and compares
bytes with the committed files.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import accelsim

OUT = Path(__file__).resolve().parent.parent / "docs" / "gallery"


def _alexnet(dataflow="rs"):
    return accelsim.simulate("alexnet", "eyeriss_v1", dataflow=dataflow)


def _conv1(dataflow):
    import dataclasses

    net = accelsim.load_network("alexnet")
    result = accelsim.simulate(net["conv1"], "eyeriss_v1", dataflow=dataflow)
    if isinstance(result, tuple):
        return tuple(dataclasses.replace(r, network=net.name) for r in result)
    return dataclasses.replace(result, network=net.name)


# name -> (what it shows, how to draw it); the README shows them in this order
FIGURES = {
    "mapping_alexnet_conv1_rs": (
        "AlexNet conv1 under row stationary on the 12 x 14 chip: two PE sets of 11 filter rows x 5 ofmap rows",
        lambda: accelsim.plot("mapping", _conv1("rs"))),
    "mapping_alexnet_conv1_dataflows": (
        "the same layer under each dataflow of the ISCA 2016 taxonomy",
        lambda: accelsim.plot("mapping", _conv1("all"))),
    "energy_alexnet_per_mac": (
        "energy per MAC of each AlexNet layer by level (RS): DRAM dominates the FC layers",
        lambda: accelsim.plot("energy", _alexnet(), per_mac=True)),
    "dataflows_alexnet_conv": (
        "energy per MAC of every dataflow on AlexNet's CONV layers, per layer and in total",
        lambda: accelsim.plot("dataflows", _alexnet("all"), per_layer=True, layers="conv")),
    "reuse_alexnet_conv": (
        "MACs per access at DRAM, GLB and RF for each datatype, CONV layers (RS)",
        lambda: accelsim.plot("reuse", _alexnet(), layers="conv")),
}


def make(names=None, out: Path = OUT) -> list[Path]:
    """Draw the named figures (default all) into ``out`` as NAME.png; the paths written."""
    from accelsim.report import plots

    written = []
    for name in names or FIGURES:
        if name not in FIGURES:
            raise SystemExit(f"make_gallery: unknown figure {name!r}; expected one of {', '.join(FIGURES)}")
        written.append(plots.save(FIGURES[name][1](), Path(out) / f"{name}.png"))
    return written


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("names", nargs="*", help=f"figures to draw (default all: {', '.join(FIGURES)})")
    p.add_argument("--out", default=str(OUT), help="folder (default docs/gallery)")
    args = p.parse_args(argv)
    for path in make(args.names, Path(args.out)):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
