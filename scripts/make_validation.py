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

# Why the ISCA 2016 ratios that miss the paper's bands miss them (numbers measured with this model;
# see the tables above for the values of the current build).
ISCA16_GAPS = [
    "- **What changed from the previous comparison.** Before this version `ws` reduced channels inside the "
    "array (now `ws-systolic`, a TPU-like WS), every dataflow was mapped at its energy-only optimum (RS's "
    "CONV mappings used 14% of the PEs) and the ratios were compared with a widened 1.2x-3.0x band: WS "
    "came out at 1.25x (CONV) and 1.07x (FC, batch 16). With the paper's WS (Sec. VI-A: one weight per PE, "
    "psums to a neighbour or back to the buffer) at the energy-only optimum WS is 1.34x (CONV) and 1.28x "
    "(FC, batch 16); at equal parallelism with the paper's accounting every WS ratio is inside the paper's "
    "bands.",
    "- **OS-B in CONV layers (1.36x-1.40x; the paper: at least 1.4x).** At batch 16 OS-B spends 8.33 per MAC: "
    "4.00 in the array (one weight and one ifmap word delivered to a PE per MAC, 2 each), 2.00 in the RF "
    "(the psum's read and write per MAC), 0.93 in the buffer, 0.40 in DRAM and 1 for the MAC. The first two "
    "and the MAC, 7.0 per MAC, are fixed by the dataflow's definition; 1.4x RS's 6.11 is 8.56, 0.23 per MAC "
    "(3%) more than OS-B pays. The buffer and DRAM terms depend on the buffer size (1.15 MB for OS-B by our "
    "equal-area model) and on how far its multicast reaches; the paper publishes neither OS-B's mapping nor "
    "its storage split, so we report the gap and did not tune OS-B to close it.",
    "- **Why the comparison maps on exact splits (strip-mining off).** With strip-mined spatial factors "
    "(docs/model.md) the CONV ratios at batch 16 drop: WS 1.566 -> 1.165, OS-B 1.362 -> 1.140, OS-A 2.20 -> "
    "1.87, NLR 2.46 -> 2.09 (FC ratios move by under 0.1%). Measured per layer (batch 16; energy per MAC, "
    "mean active PEs of 256): the procedure maps each layer at the most PEs its dataflow reaches, and "
    "strip-mining raises that maximum unevenly. RS conv3-5 go from 192 PEs (`rows[R3 C2 M2] cols[M4 N4]`) to "
    "239.4 / 236.3 / 236.3 (`rows[R3 M5] cols[N16]`, the 384 filters strip-mined over 5 PE rows); to make "
    "room the RF drops its block of 8-16 filters (`rf[S3 C4 M8]` -> `rf[S3 C4]`), so an ifmap word delivered "
    "to a PE serves one filter instead of eight: conv3's ifmap energy rises 1.59 -> 3.64 per MAC, its DRAM "
    "energy 0.85 -> 2.45, the layer 6.25 -> 9.28 per MAC (+49%), RS's CONV total 6.11 -> 7.20 (+18%). WS "
    "gains the other way: strip-mining lets it put the filter rows on the PE columns next to the filters "
    "(`cols[R3 M5]` instead of `cols[M16]`), so psums are reduced in the array instead of the buffer: conv4's "
    "GLB energy 4.09 -> 1.58 per MAC, the layer 10.44 -> 7.93 at 216 PEs on average instead of 192; WS's "
    "CONV total 9.57 -> 8.39 (-12%). OS-B's conv1 and conv2 reach 247 and 238 PEs instead of 176 and 144 at "
    "2-3% less energy. So the strip-mined run compares different parallelisms: on conv3-5 RS runs at "
    "236-239 PEs against WS's 230 / 216 / 192, 4-23% more, which is not the paper's \"same processing "
    "parallelism\" (Sec. VI-A; RS on the chip does strip-mine, JSSC 2017 Table V, but the paper's "
    "comparison fixes the parallelism, not the mapspace). On exact splits RS and WS reach the same PEs on "
    "conv1 (176) and conv3-5 (192); conv2 is unequal there too (RS 240, WS 160). The reproduction therefore "
    "keeps the exact-split mapspace (`accelsim.papers.eyeriss.isca16`), and the strip-mined ratios above are "
    "reported as a property of the per-dataflow maximum, not compared with the bands. A comparison at one "
    "common PE count per layer would need an upper bound on the PEs a mapping uses, which the mapper does "
    "not have.",
    "- **RS's DRAM energy per MAC in CONV layers is higher than the other dataflows'** (0.74 vs 0.40 at "
    "batch 16): at equal area the RS config keeps 512 B per PE and a 128 KB GLB, while the dataflows with "
    "small or no RFs get a GLB of 1.15-1.22 MB. RS still wins on total energy, as in the paper.",
]

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
    "latency_ms": "The chip's active PEs compute only part of the time: MACs / (active PEs x 200 MHz x "
                  "latency) is 0.66, 0.79, 0.81, 0.78 and 0.91 for conv1-conv5 in Table V, and the model's "
                  "ratios are about those numbers: it keeps the chip's number of PEs busy at every MAC "
                  "step (conv1's last of four strips of 14 ofmap rows has 13) at one MAC per PE per cycle "
                  "at the 200 MHz clock, and its DRAM stalls are under 0.3% of the cycles (transfers "
                  "overlap compute, 4 words per core cycle), so the gap is time the chip spends not "
                  "computing, not the mapping. The papers do not say what that time is. The table below "
                  "(\"Latency: what the unstated timing would change\") measures one candidate: if the PEs "
                  "waited for every DRAM word, at the 90 MHz link clock a secondary source gives, every "
                  "AlexNet layer would land within 10% of the chip with the chip's own DRAM traffic. That "
                  "is a hypothesis the sources neither state nor rule out, so the model keeps the "
                  "overlapped link and the gap stands.",
    "frames_per_s": "Follows from latency_ms.",
    "active_pes": "Active PEs are the peak (every PE of a full array tile). conv2: the chip folds its 5 x 27 "
                  "PE set into 5 x 14 + 5 x 13 = 135 PEs at once; the model strip-mines the 27 ofmap rows "
                  "over the columns instead (10 x 14 = 140 at the peak, 135 on average over the passes).",
    "dram_accesses_per_mac": "See dram_mb: the chip's DRAM traffic is compressed, the model's is not.",
}
VGG_LATENCY = ("VGG-16's 46.0 G CONV MACs (batch 3) at the chip's peak of 168 MACs per cycle at 200 MHz take "
               "1.37 s, which the model nearly reaches: its mappings keep almost every PE busy and, with the "
               "64-bit link at the core clock (4 words per cycle), DRAM stalls are under 1% of the cycles. "
               "The chip took 4.31 s, i.e. it computed about a third of the time. Off-chip bandwidth does "
               "not explain that: the chip's own DRAM traffic (0.0035 accesses per MAC, 161 M words) over "
               "its 4.31 s is 0.19 words per core cycle, far below what a 64-bit link carries, and even if "
               "the PEs waited for every DRAM word at the 90 MHz link clock the latency would be under half "
               "the chip's (the table below). What stalls the chip on VGG-16 (per-pass loading and "
               "configuration, the PE pipeline, the link's protocol) is not published per layer in the "
               "sources used here and is outside the model: the 30% target is not met.")


def jssc17_what_if_section(frame) -> list[str]:
    """The latency sensitivity table (``eyeriss.jssc17_latency_what_if``), with its source."""
    link = eyeriss.published()["jssc17"]["link_clock"]
    words = eyeriss.jssc17_link_words_per_cycle()
    lines = ["### Latency: what the unstated timing would change", "",
             "Not the model's result: how the latencies above would move if the chip's DRAM transfers did "
             "not overlap compute (the PEs wait for every word), which the papers neither state nor rule "
             "out. The model's latency (overlapped, 4 words per core cycle) next to compute alone, and "
             "compute plus every DRAM word with nothing overlapping: over the 64-bit link at the core clock "
             f"(4 words per cycle), at the link clock of {link['mhz']} MHz ({words:g} words per core cycle; "
             f"source: {link['source']}; the JSSC paper puts the link in its own clock domain, and a summary "
             "of the chip is the only source here that gives that clock), and at that link clock with the "
             "chip's own DRAM traffic (Table V's MB, run-length coded; for VGG-16, 0.0035 accesses per MAC). ms at "
             "200 MHz, each with its ratio to the chip's latency.", "",
             "| network | layer | chip | model (overlap) | compute only | serial, 4 w/cycle | "
             f"serial, {words:g} w/cycle | serial, {words:g} w/cycle, chip's DRAM |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for _, r in frame.iterrows():
        cells = [f"{r[c + '_ms']:.1f} ({r[c + '_ratio']:.2f})" for c in
                 ("model", "compute", "serial_core_link", "serial_link", "serial_chip_dram")]
        lines.append(f"| {r.network} | {r.layer} | {r.chip_ms:.1f} | " + " | ".join(cells) + " |")
    alex = frame[(frame.network == "alexnet") & (frame.layer != "total (CONV)")]
    lines += ["", f"With the chip's own DRAM traffic serialized at {words:g} words per core cycle every AlexNet "
              f"layer is within {max(abs(alex.serial_chip_dram_ratio - 1)):.0%} of the chip "
              f"({', '.join(f'{x:.2f}' for x in alex.serial_chip_dram_ratio)}); with the model's uncompressed "
              f"traffic, {', '.join(f'{x:.2f}' for x in alex.serial_link_ratio)} (conv3-5 overshoot: their "
              "feature maps are mostly zeros, which the chip's run-length code does not move). VGG-16 stays "
              "below half the chip's latency under every assumption here. Whether the chip overlaps its "
              "DRAM transfers is not stated, so the reproduction does not assume it does not; a hardware "
              "config has no switch for it either.", ""]
    return lines


def _ratio_text(r) -> str:
    if r is None or r != r:
        return "-"
    flag = "" if abs(r - 1) <= GAP else " **gap**"
    return f"{r:.2f}{flag}"


def _band_verdict(ratio: float, low: float, high: float | None) -> str:
    """'match' inside the paper's own band, else 'gap' with the side it misses on."""
    if ratio < low:
        return f"gap ({ratio:.3f}x < {low}x)"
    if high is not None and ratio > high:
        return f"gap ({ratio:.3f}x > {high}x)"
    return "match"


def isca16_verdicts(frame) -> list[dict]:
    """Per (layers, batch, dataflow) the ratio to RS and the verdict against the paper's own band:
    CONV 1.4x-2.5x at every batch; FC >= 1.3x at batch >= 16 (no claim at batch 1)."""
    claims = eyeriss.published()["isca16"]["claims"]
    conv, fc = claims["conv_advantage"], claims["fc_advantage"]
    out = []
    for _, row in frame[frame.dataflow != "rs"].iterrows():
        if row.layers == "conv":
            band, verdict = f"{conv['low']}x-{conv['high']}x", _band_verdict(row.vs_rs, conv["low"], conv["high"])
        elif row.batch >= fc["min_batch"]:
            band, verdict = f">= {fc['low']}x", _band_verdict(row.vs_rs, fc["low"], None)
        else:
            band, verdict = "(no claim at batch 1)", "-"
        out.append({"layers": row.layers, "batch": row.batch, "dataflow": row.dataflow, "ratio": row.vs_rs,
                    "band": band, "verdict": verdict})
    return out


def isca16_section(frame) -> list[str]:
    pub = eyeriss.published()["isca16"]
    claims = pub["claims"]
    target = frame.min_utilization.iloc[0]
    lines = ["## ISCA 2016: the dataflow comparison", "", f"Source: {pub['citation']}.", "",
             f"Setup: {pub['setup']}", "",
             f"Equal processing parallelism (Sec. VI-A: the dataflows are compared \"under the same hardware "
             f"area and processing parallelism constraints\"): every layer is mapped for the lowest energy "
             f"among the mappings that keep the most PEs busy that its dataflow reaches (`min_utilization` "
             f"{target:g}; where a dataflow cannot use every PE, the most it can, found by the exact "
             f"constrained search). The energy-only optimum would compare RS at 14% of the PEs with WS at "
             f"half of them. Accounting: `fill_writes={frame.fill_writes.iloc[0]}`, the paper's Eq. (3) (a "
             f"weight or ifmap word filled into the buffer or an RF is not charged a write; "
             f"docs/model.md). Mapspace: exact splits (spatial factors divide the loop bounds; why not "
             f"strip-mined: see Gaps).", "",
             "The paper shows energy per operation only as bars (Figs. 10-11), so the published column "
             "of `--format csv` is empty; what the paper states in numbers is the advantage of RS over "
             "each other dataflow, compared here against the paper's own bands.", "",
             "### Energy per MAC (normalized, MAC = 1) and PE utilization", "",
             "Each cell: energy per MAC (active PEs / 256, weighted by MACs).", "",
             "| layers | batch | " + " | ".join(pub["dataflows"]) + " |",
             "|---|---:|" + "---:|" * len(pub["dataflows"])]
    for (layers, batch), group in frame.groupby(["layers", "batch"], sort=False):
        e = dict(zip(group.dataflow, group.energy_per_mac, strict=True))
        u = dict(zip(group.dataflow, group.pe_utilization, strict=True))
        lines.append(f"| {layers} | {batch} | " + " | ".join(f"{e[d]:.3f} ({u[d]:.1%})" for d in pub["dataflows"])
                     + " |")
    below = frame[frame.below_target != ""]
    if len(below):
        lines += ["", "Layers where a dataflow cannot keep every PE busy (mapped at the most PEs it reaches): "
                  + "; ".join(f"{r.dataflow} {r.below_target} (batch {r.batch})" for _, r in below.iterrows()) + "."]
    verdicts = isca16_verdicts(frame)
    others = [d for d in pub["dataflows"] if d != "rs"]
    lines += ["", "### Other dataflows over RS, against the paper's bands", "",
              "| layers | batch | " + " | ".join(others) + " | paper |",
              "|---|---:|" + "---|" * len(others) + "---|"]
    for (layers, batch), _group in frame.groupby(["layers", "batch"], sort=False):
        v = {x["dataflow"]: x for x in verdicts if x["layers"] == layers and x["batch"] == batch}
        cells = [f"{v[d]['ratio']:.3f} {v[d]['verdict'].split(' (')[0] if v[d]['verdict'] != '-' else ''}".strip()
                 for d in others]
        lines.append(f"| {layers} | {batch} | " + " | ".join(cells) + f" | {v[others[0]]['band']} |")
    gaps = [x for x in verdicts if x["verdict"].startswith("gap")]
    n_claims = len([x for x in verdicts if x["verdict"] != "-"])
    lines += ["", f"{n_claims - len(gaps)} of {n_claims} comparisons the paper makes a claim about are inside "
              f"its band; the rest are gaps: "
              + ("; ".join(f"{x['layers']} batch {x['batch']} {x['dataflow']} {x['ratio']:.3f}x (paper {x['band']})"
                           for x in gaps) or "none") + "."]
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
              f"{claims['rs_fc_largest_share']['text']}.", "", "### Gaps", ""] + ISCA16_GAPS + [""]
    return lines


def isca16_layers_section(frame) -> list[str]:
    """RS per layer against nn_dataflow's reproduction of Fig. 10 (a cross-check with a peer)."""
    src = eyeriss.published()["isca16"]["rs_layers_batch16"]["source"]
    lines = ["### RS per layer at batch 16: a cross-check with nn_dataflow", "",
             f"Not a published number: {src}. nn_dataflow is a peer RS mapper (its measured speed is in "
             "docs/performance.md); its test suite pins its own results for the paper's setup to these "
             "values, which its authors give as the reproduction of the paper's Fig. 10.", "",
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
             "accelsim maps each layer under RS as the chip places it (`accelsim.papers.eyeriss.chip_rs`: "
             "a PE set's ofmap rows E along the PE columns, whole when they fit, folded over passes when "
             "they do not; ISCA 2016 Sec. IV-A and JSSC 2017 Sec. III, paraphrased in its docstring), "
             "with strip-mined spatial factors (docs/model.md), on `eyeriss_v1` (12x14 PEs, 108 KB GLB, "
             "spads 224/12/24 words, 200 MHz, DRAM over the 64-bit link at 4 words per core cycle, fill and "
             "drain per DRAM tile; accelsim's default accounting) choosing the mapping with the lowest "
             "energy-delay product: the chip runs real-time, so neither pure energy nor pure speed "
             "describes its mapper. MB = 10^6 bytes; "
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
              "reproduction above chooses its own: 0.94x-2.01x of Table V).",
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
             "For the ISCA 2016 dataflow comparison the test is the paper's own band for each ratio (a "
             "ratio outside it is a **gap**; the bands are never widened). For the JSSC 2017 chip, ratios "
             "are ours / published and a **gap** is a ratio off by more than 20% (VGG-16's total latency "
             "has a 30% target). Every gap is explained below its table.", ""]
    lines += isca16_section(eyeriss.isca16())
    lines += isca16_layers_section(eyeriss.isca16_rs_layers())
    lines += jssc17_section(eyeriss.jssc17())
    lines += jssc17_what_if_section(eyeriss.jssc17_latency_what_if())
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
