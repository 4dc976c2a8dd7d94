"""The accelsim network zoo (installed as ``accelsim.zoo``): one module per network family.
Each module registers its networks with ``accelsim.workload.zoo.zoo_network``."""
