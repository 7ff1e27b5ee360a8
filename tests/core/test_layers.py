"""Core stays in layers without an import circle (the contracts are in pyproject.toml).

A module of core imports only from its own layer or the layers below: entry points (CLI,
test kit) → application factory → web → services → kernel. A lower module that needs
something from above is handed it by the application factory (see ``docs/plugins.md``,
"How core is built").
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

import grimp
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[2]


def test_core_keeps_its_layers_and_has_no_import_circle(capsys):
    status = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True)
    assert status == 0, capsys.readouterr().out


def test_the_layer_check_would_catch_an_import_upwards(tmp_path):
    """The checker sees function-level imports too: the kernel reaching up is refused."""
    package = tmp_path / "layered"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "kernel.py").write_text("def f():\n    from layered import web\n")
    (package / "web.py").write_text("from layered import kernel\n")
    config = tmp_path / "contracts.toml"
    config.write_text(
        "[tool.importlinter]\nroot_package = 'layered'\n"
        "[[tool.importlinter.contracts]]\nname = 'layers'\ntype = 'layers'\n"
        "containers = ['layered']\nlayers = ['web', 'kernel']\n"
    )

    sys.path.insert(0, str(tmp_path))
    try:
        assert lint_imports(config_filename=str(config), no_cache=True) == 1
        graph = grimp.build_graph("layered", cache_dir=None)
        assert graph.direct_import_exists(importer="layered.kernel", imported="layered.web")
    finally:
        sys.path.remove(str(tmp_path))


def test_the_plugin_guide_places_modules_in_the_layers_the_contract_has():
    """docs/plugins.md "How core is built" names each module in the layer pyproject has."""
    contract = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    layers = contract["contracts"][0]["layers"]
    layer_of = {
        module.strip(): index
        for index, layer in enumerate(layers)
        for module in layer.replace("|", ":").split(":")
    }
    guide = (ROOT / "docs" / "plugins.md").read_text()
    table = guide.split("## How core is built", 1)[1].split("\n\n", 3)[2]
    rows = [line for line in table.splitlines() if line.startswith("| ") and "`" in line]
    assert len(rows) == 5
    for index, row in enumerate(rows, start=1):  # the guide leaves out __main__'s layer
        named = row.split("|")[2].split("`")[1::2]
        assert named, row
        for name in named:
            assert layer_of[name] == index, f"{name} is in layer {layer_of[name]}, not {index}"
