"""The three datatypes of a CNN layer, named once (Eyeriss: filter weights, input feature map,
partial sums / output feature map). Per-datatype quantities anywhere in accelsim are arrays
indexed by ``Datatype``."""

from enum import IntEnum


class Datatype(IntEnum):
    WEIGHTS = 0
    IFMAP = 1
    PSUM = 2  # partial sums; their final values are the output feature map (ofmap)

    @property
    def short(self) -> str:
        return ("weights", "ifmap", "psum")[self]

    @classmethod
    def parse(cls, text: str) -> "Datatype":
        key = text.strip().lower()
        aliases = {"weights": 0, "weight": 0, "filter": 0, "filters": 0, "w": 0,
                   "ifmap": 1, "ifmaps": 1, "input": 1, "inputs": 1, "i": 1,
                   "psum": 2, "psums": 2, "ofmap": 2, "output": 2, "outputs": 2, "o": 2}
        if key not in aliases:
            raise ValueError(f"unknown datatype {text!r}; expected one of weights, ifmap, psum")
        return cls(aliases[key])


DATATYPES = tuple(Datatype)
