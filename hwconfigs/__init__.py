"""Shipped accelerator configs (installed as ``accelsim.hwconfigs``): one YAML per design."""
