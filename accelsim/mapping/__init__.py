"""Mapping: dataflow constraints, the mapspace, the analytic cost model, numba kernels and the mapper."""
