"""``scripts/import-cycles.py``, which ``make lint`` runs: it finds a cycle closed by an import
inside a function, and ``layanan/`` has no cycle beyond the ones it lists as known."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "import-cycles.py"


def load_script():
    spec = importlib.util.spec_from_file_location("import_cycles", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_an_import_inside_a_function_closes_a_cycle(tmp_path):
    """A module that imports another only inside a function still depends on it: with the
    other importing it back, the two are reported as a cycle, with a relative import resolved
    and an unrelated third module left out."""
    script = load_script()
    package = tmp_path / "layanan" / "app"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "models.py").write_text("def clean():\n    from .letters import validate\n")
    (package / "letters.py").write_text("from layanan.app.models import clean\n")
    (package / "views.py").write_text("from . import letters\n")
    modules = {
        "layanan.app": package / "__init__.py",
        "layanan.app.models": package / "models.py",
        "layanan.app.letters": package / "letters.py",
        "layanan.app.views": package / "views.py",
    }
    graph = {name: script.imports_of(name, path, modules) for name, path in modules.items()}

    assert graph["layanan.app.views"] == {"layanan.app.letters": 1}
    assert script.components(graph) == [["layanan.app.letters", "layanan.app.models"]]
    cycle = script.shortest_cycle(graph, ["layanan.app.letters", "layanan.app.models"])
    assert cycle[0] == cycle[-1] and len(cycle) == 3


def test_layanan_has_no_import_cycle_beyond_the_known_ones(capsys):
    """The product modules import each other without a cycle, except those listed as known."""
    assert load_script().main() == 0, capsys.readouterr().out
