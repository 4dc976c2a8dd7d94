"""Generate docs/validation.md from `accelsim reproduce eyeriss-isca16` and `eyeriss-jssc17`
(the same library calls): every figure, ours next to the published one, with the ratio, and the
explanation of every gap larger than 20%.

    python scripts/make_validation.py [--out docs/validation.md]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import accelsim
from accelsim.iosafe import atomic_write_text
from accelsim.papers import eyeriss

GAP = 0.20  # a ratio outside [1 - GAP, 1 + GAP] must be explained

# why our figure differs from the chip's, per metric (JSSC 2017); used for every gap > 20%
JSSC_EXPLAIN = {
    "dram_mb": "The chip keeps ifmaps and ofmaps run-length compressed in DRAM, and after ReLU most "
               "activations of conv2-conv5 are zero (Table V lists the zero fraction of each layer's "
               "ifmap); the model moves uncompressed 16-bit words. conv1 reads the raw image, which "
               "does not compress, and agrees within 10%.",
    "glb_mb": "The model's GLB traffic is that of the mapping it finds optimal (energy-delay product) "
              "within the RS constraints; the chip's per-layer mappings are not published, so the two "
              "can differ in how often ifmaps are re-read from the GLB. The model's GLB traffic is lower "
              "than the chip's for every layer but conv1.",
    "latency_ms": "The model counts compute cycles and the bandwidth of configured levels; the eyeriss_v1 "
                  "config does not limit DRAM bandwidth, and the model charges nothing for loading each "
                  "layer's configuration and first tiles.",
    "frames_per_s": "Follows from latency_ms.",
    "active_pes": "The model picks the number of active PEs with the rest of the mapping (objective EDP) "
                  "and only splits loops into exact factors; the chip's mapper fills the array with its "
                  "own PE-set folding.",
    "dram_accesses_per_mac": "See dram_mb: the chip's DRAM traffic is compressed, the model's is not.",
}
VGG_LATENCY = ("VGG-16's 46 G MACs (batch 3) at the chip's peak of 168 MACs per cycle at 200 MHz take "
               "1.37 s, which the model reaches (its mappings keep almost every PE busy and DRAM "
               "bandwidth is not limited in the config). The chip took 4.31 s, i.e. it computed about a "
               "third of the time; what stalls it (off-chip bandwidth for VGG-16's large feature maps, "
               "loading and configuration time) is outside the model.")


def _ratio_text(r) -> str:
    if r is None or r != r:
        return "-"
    flag = "" if abs(r - 1) <= GAP else " **gap**"
    return f"{r:.2f}{flag}"


def isca16_section(frame) -> list[str]:
    pub = eyeriss.published()["isca16"]
    claims = pub["claims"]
    lines = ["## ISCA 2016: the dataflow comparison", "", f"Source: {pub['citation']}.", "",
             f"Setup: {pub['setup']}", "",
             "The paper shows energy per operation only as bars (Figs. 10-11), so the published column "
             "of `--format csv` is empty; what the paper states in numbers is the advantage of RS over "
             "each other dataflow, compared here.", "",
             "### Energy per MAC (normalized, MAC = 1)", "",
             "| layers | batch | " + " | ".join(pub["dataflows"]) + " |",
             "|---|---:|" + "---:|" * len(pub["dataflows"])]
    for (layers, batch), group in frame.groupby(["layers", "batch"], sort=False):
        e = dict(zip(group.dataflow, group.energy_per_mac, strict=True))
        lines.append(f"| {layers} | {batch} | " + " | ".join(f"{e[d]:.3f}" for d in pub["dataflows"]) + " |")
    lines += ["", "### Other dataflows over RS, against the paper's statements", "",
              "| layers | batch | " + " | ".join(d for d in pub["dataflows"] if d != "rs") + " | paper | holds? |",
              "|---|---:|" + "---:|" * (len(pub["dataflows"]) - 1) + "---|---|"]
    conv, fc = claims["conv_advantage"], claims["fc_advantage"]
    for (layers, batch), group in frame.groupby(["layers", "batch"], sort=False):
        r = {d: v for d, v in zip(group.dataflow, group.vs_rs, strict=True) if d != "rs"}
        if layers == "conv":
            paper, ok = f"{conv['low']}x-{conv['high']}x", all(1.2 <= v <= 3.0 for v in r.values())
            verdict = "yes (within 1.2x-3.0x)" if ok else "no"
        elif batch >= fc["min_batch"]:
            short = [d for d, v in r.items() if v < fc["low"]]
            paper = f">= {fc['low']}x"
            verdict = "yes" if not short else f"no: {', '.join(f'{d} {r[d]:.2f}x' for d in short)}"
        else:
            paper, verdict = "(no claim at batch 1)", "-"
        lines.append(f"| {layers} | {batch} | " + " | ".join(f"{v:.2f}" for v in r.values())
                     + f" | {paper} | {verdict} |")
    rs = frame[frame.dataflow == "rs"]
    lines += ["", "### RS energy per MAC by level", "",
              "| layers | batch | DRAM | GLB | array (NoC) | RF | MAC | largest |",
              "|---|---:|---:|---:|---:|---:|---:|---|"]
    for _, row in rs.iterrows():
        parts = {lv: row[f"energy_per_mac_{lv}"] for lv in ("dram", "glb", "noc", "rf", "mac")}
        lines.append(f"| {row.layers} | {row.batch} | " + " | ".join(f"{v:.3f}" for v in parts.values())
                     + f" | {max(parts, key=parts.get)} |")
    lines += ["", f"Paper: {claims['rs_conv_largest_share']['figure']}: "
              f"{claims['rs_conv_largest_share']['text']}; {claims['rs_fc_largest_share']['figure']}: "
              f"{claims['rs_fc_largest_share']['text']}.", "",
              "### Gaps", "",
              "- **FC layers, RS vs WS (about 1.07x at batch 16, 1.12x at batch 64; the paper: >= 1.3x).** "
              "At batch N every FC weight is used N times and must be read from DRAM once: 200/N per MAC "
              "(12.5 at N = 16) for every dataflow, two thirds of RS's total. Above that floor WS moves one "
              "ifmap word into and one psum word out of a PE per MAC over the array (2 + 2 per MAC) while "
              "RS spends about the same in its register files (weight, ifmap and psum reads and the psum "
              "write, 1 each per MAC); their GLB and other DRAM traffic differ by less than 1 per MAC. The "
              "buffer size does not change this: with RS's 128 KB GLB instead of its 1.15 MB, WS re-reads "
              "some FC ifmaps from DRAM and goes from 20.67 to 20.81 per MAC at batch 16. The "
              "paper's own accounting (Sec. VI-A: a x DRAM + ab x buffer + abc x array + abcd x RF per "
              "input, which also charges an RF read for every operand use) applied by hand to the FC6 "
              "mappings gives about 21.1 (WS) vs 18.4 (RS) per MAC at batch 16, 1.15x. A 1.3x advantage "
              "needs WS to pay about 6 per MAC more, e.g. psums accumulated through the buffer at every "
              "MAC instead of across the PE array; the paper does not give its WS mapping or storage "
              "split, so we did not change the WS dataflow or config to close the gap.",
              "- **RS's DRAM accesses per MAC in CONV layers are higher than the other dataflows'** "
              "(0.004 vs 0.002 at batch 16): at equal area the RS config keeps 512 B per PE and a 128 KB "
              "GLB, while the dataflows with small or no RFs get a GLB of 1.18-1.25 MB. RS still wins on "
              "total energy, as in the paper.", ""]
    return lines


def isca16_layers_section(frame) -> list[str]:
    """RS per layer against nn_dataflow's reproduction of Fig. 10 (a cross-check with a peer)."""
    src = eyeriss.published()["isca16"]["rs_layers_batch16"]["source"]
    lines = ["### RS per layer at batch 16: a cross-check with nn_dataflow", "",
             f"Not a published number: {src}. nn_dataflow is a peer RS mapper (its measured speed is in docs/performance.md); its test "
             "suite pins its own results for the paper's setup to these values, which its authors "
             "give as the reproduction of the paper's Fig. 10.", "",
             "| layer | MAC ours | MAC nn_dataflow | DRAM ours | DRAM nn_dataflow | DRAM ratio | DRAM words ours | "
             "DRAM words at least | RF ours | RF nn_dataflow | RF ratio |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for layer, g in frame.groupby("layer", sort=False):
        p = g.set_index("part")
        lines.append(f"| {layer} | {p.ours['mac']:.2f} | {p.nn_dataflow['mac']:.2f} | {p.ours['dram']:.2f} | "
                     f"{p.nn_dataflow['dram']:.2f} | {_ratio_text(p.ratio['dram'])} | "
                     f"{int(p.dram_words['dram']):,} | {int(p.compulsory_dram_words['dram']):,} | "
                     f"{p.ours['rf']:.2f} | {p.nn_dataflow['rf']:.2f} | {_ratio_text(p.ratio['rf'])} |")
    lines += ["", "RF energy agrees within 2% on every layer, DRAM energy within 1% from conv3 to fc8. "
              "**conv1 and conv2**: accelsim's mappings read less from DRAM than nn_dataflow's; for conv1 "
              "exactly the words the layer needs (every weight and ifmap word read once, every ofmap "
              "word written once), where nn_dataflow's 2.46e9 amounts to 12.3 M words, 1.7x that. "
              "accelsim's GLB keeps the rows that consecutive ifmap windows share when a tile slides "
              "along E (conv1's 11-row windows advance by 4 rows), so DRAM delivers only the new rows. "
              "That is the likely difference: refetching whole windows would read conv1's ifmap about "
              "2.75x, 11.5 M words in all, near nn_dataflow's 12.3 M.", ""]
    return lines


def jssc17_section(frame) -> list[str]:
    pub = eyeriss.published()["jssc17"]
    lines = ["## JSSC 2017: the Eyeriss v1 chip", "", f"Source: {pub['citation']}.", "",
             "accelsim maps each layer under RS on `eyeriss_v1` (12x14 PEs, 108 KB GLB, spads 224/12/24 "
             "words, 200 MHz) choosing the mapping with the lowest energy-delay product: the chip runs "
             "real-time, so neither pure energy nor pure speed describes its mapper. MB = 10^6 bytes; "
             "accesses are reads + writes of 2-byte words.", "",
             "| network | layer | metric | ours | published | ours / published |", "|---|---|---|---:|---:|---:|"]
    gaps = {}
    for _, row in frame.iterrows():
        lines.append(f"| {row.network} (batch {row.batch}) | {row.layer} | {row.metric} | {row.ours:.4g} | "
                     f"{row.published:.4g} | {_ratio_text(row.ratio)} |")
        if abs(row.ratio - 1) > GAP:
            gaps.setdefault((row.network, row.metric), []).append(f"{row.layer} {row.ratio:.2f}")
    lines += ["", "### Gaps larger than 20%", ""]
    for (network, metric), where in gaps.items():
        why = VGG_LATENCY if (network == "vgg16" and metric in ("latency_ms", "frames_per_s")) else JSSC_EXPLAIN[metric]
        lines.append(f"- **{network} {metric}** ({', '.join(where)}): {why}")
    return lines + [""]


def _density_for_ratio(ratio: float) -> float:
    """The density at which Eyeriss's RLC (5 + 16 bits, 3 pairs per 64-bit word) moves ``ratio``
    words per 16-bit word (bisection; the ratio grows with the density)."""
    from accelsim.arch.spec import Format
    from accelsim.sparsity.formats import word_ratio

    fmt = Format("rlc")
    lo, hi = 1e-9, 1.0
    for _ in range(60):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if word_ratio(fmt, mid, 16)[0] < ratio else (lo, mid)
    return (lo + hi) / 2


def jssc17_sparse_section(frame) -> list[str]:
    """The chip as built (gating + RLC at DRAM, Table V zero fractions): DRAM MB per layer and the
    feature-map savings, with the gaps explained from the numbers."""
    pub = eyeriss.published()["jssc17_sparsity"]
    v = frame.pivot_table(index="layer", columns="metric", values="ours", sort=False)
    table_v = frame[frame.metric == "dram_mb"].set_index("layer")["published"]
    lines = ["### The chip as built: zero gating and run-length-coded feature maps", "",
             f"Source: {pub['citation']}.", "",
             "`eyeriss_v1` with its `sparsity` section (a zero ifmap gates the filter read and the MAC; ifmaps "
             "and ofmaps RLC-coded at DRAM, 5-bit run + 16-bit value, 3 pairs per 64-bit word) and the "
             "`eyeriss-jssc17` density profile of the zoo's AlexNet (Table V's ifmap zero fractions; a "
             "layer's ofmap density taken from the next layer's ifmap). Mappings: lowest sparse EDP. "
             "`dram_mb_dense` is the same mappings' uncompressed traffic.", "",
             "| layer | ifmap zeros % | DRAM MB ours | Table V | ratio | dense MB | dense / Table V | "
             "feature-map DRAM saving | paper |", "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for layer, row in v.iterrows():
        paper = pub["fmap_dram_saving"].get(layer)
        lines.append(f"| {layer} | {pub['ifmap_zeros_pct'][layer]} | {row.dram_mb:.2f} | {table_v[layer]:.1f} | "
                     f"{_ratio_text(row.dram_mb / table_v[layer])} | {row.dram_mb_dense:.2f} | "
                     f"{row.dram_mb_dense / table_v[layer]:.2f} | {row.fmap_dram_saving:.0%} | "
                     f"{'-' if paper is None else f'~{paper:.0%}'} |")
    c1, c5 = v.loc["conv1"], v.loc["conv5"]
    ifmap1, ofmap1 = c1.ifmap_dram_mb, c1.ofmap_dram_mb
    fm_dense1 = (ifmap1 + ofmap1) / (1 - c1.fmap_dram_saving)
    ofmap_dense1 = fm_dense1 - ifmap1
    need1 = fm_dense1 * (1 - pub["fmap_dram_saving"]["conv1"]) - ifmap1
    d1 = _density_for_ratio(need1 / ofmap_dense1)
    d5 = _density_for_ratio(1 - pub["fmap_dram_saving"]["conv5"])
    lines += ["", f"Every layer is within {pub['band']:.0%} of Table V (the uncompressed model: "
              f"{min(v.dram_mb_dense / table_v):.2f}x-{max(v.dram_mb_dense / table_v):.2f}x). Feature-map savings:",
              "",
              f"- **conv1: {c1.fmap_dram_saving:.0%} vs the paper's ~30%.** conv1 reads the input image "
              f"({ifmap1:.2f} MB, 0.01% zeros), which the codec leaves raw (RLC would grow it by 4/3); only the "
              f"ofmap ({ofmap_dense1:.2f} MB dense) compresses, at the density the profile gives it: 61.3%, "
              f"conv2's ifmap after ReLU, LRN and 3x3 max pooling. A 30% saving needs the ofmap at "
              f"{need1:.2f} MB, i.e. RLC at density {d1:.2f} ({1 - d1:.0%} zeros) before pooling. Pooling "
              "keeps a zero only where all 9 inputs of a window are zero, so the pre-pooling ofmap is "
              "sparser than conv2's input; Table V does not give it.",
              f"- **conv5: {c5.fmap_dram_saving:.0%} vs ~75%.** With conv5's feature maps at 77.6% zeros "
              f"(Table V's ifmap figure; the ofmap's is not published and taken equal) this RLC (3 pairs "
              f"per 64-bit word) moves {1 - c5.fmap_dram_saving:.2f} of the dense words. 75% needs density "
              f"{d5:.3f} ({1 - d5:.1%} zeros) in both: a gap of {0.75 - c5.fmap_dram_saving:.2f}, which an "
              "ofmap sparser than its ifmap would close; we do not fit it.",
              "- Weights are sent uncompressed (the chip compresses feature maps only) and are "
              f"{v.weights_dram_mb.sum() / v.dram_mb.sum():.0%} of the sparse DRAM traffic of CONV1-5. `dense MB` "
              "is the uncompressed traffic of the mappings chosen under the sparse cost (the dense "
              "reproduction above chooses its own: 1.09x-2.01x of Table V).",
              "- **Eyeriss v2** (1.2x throughput and 1.3x energy efficiency from sparsity on MobileNet) is not "
              "compared: the figure depends on the pruned MobileNet's per-layer weight and activation "
              "densities and on v2's hierarchical mesh NoC, neither of which accelsim has "
              "(`hwconfigs/eyeriss_v2_like.yaml` keeps v2's CSC and zero skipping on a single array).", ""]
    return lines


def build() -> str:
    lines = ["# Validation against the Eyeriss papers", "",
             f"Generated by `python scripts/make_validation.py` (accelsim {accelsim.__version__}) from the "
             "same calls as `accelsim reproduce eyeriss-isca16` and `accelsim reproduce eyeriss-jssc17`; "
             "do not edit by hand. The published figures are in `accelsim/papers/eyeriss_published.yaml`. "
             "Ratios are ours / published; a **gap** is a ratio off by more than 20%, and every gap is "
             "explained below its table.", ""]
    lines += isca16_section(eyeriss.isca16())
    lines += isca16_layers_section(eyeriss.isca16_rs_layers())
    lines += jssc17_section(eyeriss.jssc17())
    lines += jssc17_sparse_section(eyeriss.jssc17_sparse())
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", default=str(Path(__file__).parents[1] / "docs" / "validation.md"))
    args = ap.parse_args()
    atomic_write_text(args.out, build())
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
