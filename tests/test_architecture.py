"""Data flows one way: corpus/ -> ingest/ -> index/ -> service/, with safety/ beside index/ under service/;
eval/ goes through the service's API.

Every import of a project package, at the top of a module or inside a function, is checked."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ingest", "index", "safety", "service", "eval")
# What each package may import from the others.
ALLOWED = {
    "ingest": set(),
    "index": {"ingest"},
    "safety": set(),  # routing imports nothing of the project: the service hands it vectors
    "service": {"ingest", "index", "safety"},
    "eval": {"service.api"},
}
# The command line is the one way back: `verbatim eval` and `verbatim bench` run the evaluation.
EXCEPTIONS = {("service/cli.py", "eval.run"), ("service/cli.py", "eval.bench")}


def project_imports(path: Path) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append((node.lineno, node.module))
    return [(line, m) for line, m in out if m.split(".")[0] in PACKAGES]


def _allowed(package: str, module: str) -> bool:
    if module.split(".")[0] == package:
        return True
    return any(module == a or module.startswith(a + ".") for a in ALLOWED[package])


@pytest.mark.parametrize("package", PACKAGES)
def test_each_package_imports_only_what_lies_upstream(package):
    wrong = []
    for path in sorted((ROOT / package).rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        for line, module in project_imports(path):
            if not _allowed(package, module) and (rel, module) not in EXCEPTIONS:
                wrong.append(f"{rel}:{line} imports {module}")
    assert not wrong, "\n".join(wrong)


def test_the_checker_sees_imports_inside_functions(tmp_path):
    f = tmp_path / "m.py"
    f.write_text("import json\n\ndef g():\n    from index import ann\n    import service.app\n", encoding="utf-8")
    assert project_imports(f) == [(4, "index"), (5, "service.app")]
    assert not _allowed("eval", "index") and not _allowed("eval", "service.app") and _allowed("eval", "service.api")
