"""Sparsity and compression on top of the dense model (docs/model.md, "Sparsity").

- ``density``: per-layer, per-datatype densities (fraction of nonzero elements) and their parsing;
- ``formats``: compressed formats (RLC, bitmask, CSC): exact size of a given tensor, expected size
  under a Bernoulli density;
- ``model``: expected accesses, energy and cycles of a mapping from its dense counts (zero gating,
  zero skipping, compressed formats per level and datatype);
- ``run``: map layers and networks with the sparse cost and report dense and sparse side by side.

The dense model (``accelsim.mapping``) is unchanged; with every density 1, or a hardware without
sparsity features, the results are the dense model's, bit for bit.
"""
