"""accelsim: an Eyeriss-style dataflow simulator for CNN accelerators.

Workloads (loop nests in Eyeriss notation) -> hardware (PE array + memory hierarchy) ->
optimal mapping under a dataflow -> energy, accesses, reuse, utilization, cycles.
"""

__version__ = "0.1.0"

from accelsim.api import *  # noqa: E402,F403
from accelsim.api import __all__  # noqa: E402,F401
