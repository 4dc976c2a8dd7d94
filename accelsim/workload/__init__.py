"""Workloads: Layer and Network in Eyeriss notation, the shape-tracing builder, the zoo loader,
extractors (PyTorch, ONNX) and file formats (Timeloop YAML, SCALE-Sim CSV, layer tables)."""

from accelsim.workload.builder import NetworkBuilder, Tensor
from accelsim.workload.layer import Layer, LoopNest
from accelsim.workload.network import Network

__all__ = ["Layer", "LoopNest", "Network", "NetworkBuilder", "Tensor"]
