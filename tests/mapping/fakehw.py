"""Small stand-in hardware specs with the Hardware interface (for mapper unit tests that must not
depend on the shipped YAML configs)."""

from types import SimpleNamespace

NORMALIZED = {"dram": 200.0, "glb": 6.0, "noc": 2.0, "rf": 1.0}


def level(name, caps=None, shared=None, bypass=(), bw=None, energies=NORMALIZED):
    e = energies[name]
    return SimpleNamespace(name=name, capacity_words=caps, shared_capacity_words=shared, word_bits=16,
                           read_energy=(e, e, e), write_energy=(e, e, e), bandwidth_words_per_cycle=bw,
                           bypass=frozenset(bypass), area_mm2=0.0)


def hardware(rows=12, cols=14, rf=(224, 12, 24), glb_shared=55296, glb_bypass=(), multicast=(True, True, True),
             reduction=True, name="fake", dram_bw=None, glb_bw=None, energies=NORMALIZED):
    levels = {"dram": level("dram", bw=dram_bw, energies=energies),
              "glb": level("glb", shared=glb_shared, bypass=glb_bypass, bw=glb_bw, energies=energies),
              "noc": level("noc", energies=energies), "rf": level("rf", caps=rf, energies=energies)}
    return SimpleNamespace(name=name, pe_rows=rows, pe_cols=cols, clock_mhz=200.0, word_bits=16, mac_energy=1.0,
                           energy_unit="normalized", levels=tuple(levels.values()),
                           noc=SimpleNamespace(multicast=multicast, spatial_reduction=reduction, patterns=()),
                           default_dataflow="rs", level=lambda n: levels[n])
