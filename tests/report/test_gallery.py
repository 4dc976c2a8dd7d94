"""The README gallery (docs/gallery/*.png) is what scripts/make_gallery.py draws, byte for byte:
the quick figures are regenerated here and compared with the committed files; every figure of
the script is committed and shown in the README."""

import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _script():
    spec = importlib.util.spec_from_file_location("make_gallery", ROOT / "scripts" / "make_gallery.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_gallery_figure_is_committed_and_in_the_readme():
    gallery = _script()
    committed = sorted(p.stem for p in (ROOT / "docs" / "gallery").glob("*.png"))
    assert committed == sorted(gallery.FIGURES)
    readme = (ROOT / "README.md").read_text()
    for name in gallery.FIGURES:
        assert f"docs/gallery/{name}.png" in readme


@pytest.mark.parametrize("name", ["mapping_alexnet_conv1_rs", "energy_alexnet_per_mac"])
def test_the_script_regenerates_a_figure_byte_for_byte(tmp_path, name):
    gallery = _script()
    (path,) = gallery.make([name], tmp_path)
    assert path.read_bytes() == (ROOT / "docs" / "gallery" / f"{name}.png").read_bytes()
