"""Shared data and fixtures of the DSE tests: two tiny layer tables (a shape shared within and
across them), a folder holding them, and a spec writer."""

import pytest
import yaml

TINY = """network,layer,type,N,G,M,C,H,W,R,S,E,F,stride,pad,dilation,params,macs
tiny,c1,conv,1,1,8,4,10,10,3,3,8,8,1,0,1,296,18432
tiny,c2,conv,1,1,8,8,8,8,3,3,6,6,1,0,1,584,20736
tiny,c3,conv,1,1,8,8,8,8,3,3,6,6,1,0,1,584,20736
"""
TINY2 = """network,layer,type,N,G,M,C,H,W,R,S,E,F,stride,pad,dilation,params,macs
tiny2,d1,conv,1,1,8,8,8,8,3,3,6,6,1,0,1,584,20736
tiny2,d2,conv,1,1,16,8,6,6,3,3,4,4,1,0,1,1168,18432
"""


def base_spec(**over):
    spec = {"networks": ["tiny.csv", "tiny2.csv"], "batch": 1, "dataflows": ["rs", "ws"], "objective": "energy",
            "hw": {"base": "eyeriss_v1",
                   "vary": {"pe_array.rows": [8, 12], "pe_array.cols": [8, 14],
                            "levels.glb.shared_capacity_words": [16384, 55296]},
                   "zip": [["pe_array.rows", "pe_array.cols"]]}}
    spec.update(over)
    return spec


@pytest.fixture
def nets(tmp_path):
    (tmp_path / "tiny.csv").write_text(TINY)
    (tmp_path / "tiny2.csv").write_text(TINY2)
    return tmp_path


@pytest.fixture
def write_spec(nets):
    def write(spec=None, name="spec.yaml"):
        path = nets / name
        path.write_text(yaml.safe_dump(spec if spec is not None else base_spec(), sort_keys=False))
        return path

    return write
