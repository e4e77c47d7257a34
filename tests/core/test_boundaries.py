"""Architecture rules: cnn_core never imports Streamlit, pages are thin, quick pages never load TensorFlow."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _imported_packages(tree: ast.AST) -> set[str]:
    """The top-level packages a module imports (``from a.b import c`` → ``a``)."""
    packages = set()
    for node in ast.walk(tree):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        packages.update(name.split(".")[0] for name in names)
    return packages


def test_cnn_core_has_no_streamlit_import():
    offenders = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "cnn_core").rglob("*.py")
        if "streamlit" in _imported_packages(ast.parse(path.read_text(), str(path)))
    ]
    assert not offenders, f"streamlit imported in cnn_core: {offenders}"


def test_pages_are_a_header_and_one_run_tabs_call():
    """A page script draws nothing itself: its sections (in app_support/<page>/) do, under run_tabs."""
    for path in (ROOT / "app_pages").glob("*.py"):
        if path.name == "home.py":  # no tabs: the catalogue's cards
            continue
        tree = ast.parse(path.read_text(), str(path))
        calls = [
            n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
        ]
        assert "streamlit" not in _imported_packages(tree), f"{path.name} uses Streamlit directly"
        assert calls.count("page_header") == calls.count("run_tabs") == 1, path.name


def test_home_and_convolution_pages_do_not_import_tensorflow():
    script = (
        "import sys\n"
        "from streamlit.testing.v1 import AppTest\n"
        "for page in ('app.py', 'app_pages/convolution.py'):\n"
        "    at = AppTest.from_file(page, default_timeout=60).run()\n"
        "    assert not at.exception, at.exception\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip().splitlines()[-1] == "[]"
