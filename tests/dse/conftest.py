"""Fixtures of the DSE tests: the tiny networks in a temporary folder and a spec writer."""

import pytest
import yaml
from dsehelp import TINY, TINY2, base_spec


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
