"""Core stays in layers without an import circle (the contracts are in pyproject.toml).

A module of core imports only from its own layer or the layers below: entry points (CLI,
test kit) → application factory → web → services → kernel. A lower module that needs
something from above is handed it by the application factory (see ``docs/plugins.md``,
"How core is built").
"""

from __future__ import annotations

import sys
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
