"""Nothing in game/ can run code from data: the source is scanned, by syntax tree, not by text.

tests/engine/test_engine_imports.py greps for eval/exec/pickle/yaml.load; this
adds what a grep misses (aliases, ``from x import y``, dynamic imports) and the
other ways to run code or programs: compile, __import__, os.system, subprocess,
marshal, shelve, ctypes, the network.
"""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

GAME = ROOT / "game"
BANNED_CALLS = {"eval", "exec", "compile", "__import__", "breakpoint", "execfile"}
BANNED_MODULES = {
    "pickle", "cPickle", "_pickle", "dill", "cloudpickle", "marshal", "shelve", "subprocess", "ctypes", "cffi",
    "pty", "code", "codeop", "runpy", "socket", "http", "urllib", "ftplib", "smtplib", "xmlrpc", "telnetlib",
    "webbrowser",
}
BANNED_ATTRIBUTES = {
    ("os", "system"), ("os", "popen"), ("os", "startfile"), ("os", "posix_spawn"), ("os", "posix_spawnp"),
    ("yaml", "load"), ("yaml", "load_all"), ("yaml", "unsafe_load"), ("yaml", "unsafe_load_all"),
    ("yaml", "full_load"), ("yaml", "full_load_all"), ("yaml", "Loader"), ("yaml", "UnsafeLoader"),
    ("yaml", "FullLoader"), ("yaml", "CLoader"), ("yaml", "CUnsafeLoader"), ("yaml", "CFullLoader"),
}
BANNED_PREFIXES = {("os", "exec"), ("os", "spawn")}
# Allowed, with the reason.
ALLOWED_MODULES = {
    # playtest --jobs: the tool's own worker processes, fed only the tool's own data.
    ("game/authoring/playtest.py", "multiprocessing"),
    # Sub-commands from the fixed COMMANDS tuple, never from input.
    ("game/cli/__init__.py", "importlib"),
}
WATCHED_MODULES = {"multiprocessing", "importlib"}


def offenders_in(path: Path) -> list[str]:
    rel = path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else path.name
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
    found: list[str] = []

    def flag(node: ast.AST, what: str) -> None:
        found.append(f"{rel}:{getattr(node, 'lineno', 0)}: {what}")

    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
            for name in names:
                top = name.split(".")[0]
                if top in BANNED_MODULES:
                    flag(node, f"imports {name}")
                if top in WATCHED_MODULES and (rel, top) not in ALLOWED_MODULES:
                    flag(node, f"imports {name} (allowed only where listed in this test)")
            if isinstance(node, ast.ImportFrom) and node.module in ("os", "yaml", "builtins"):
                for alias in node.names:
                    if (node.module, alias.name) in BANNED_ATTRIBUTES or alias.name in BANNED_CALLS or any(
                        node.module == m and alias.name.startswith(p) for m, p in BANNED_PREFIXES
                    ):
                        flag(node, f"from {node.module} import {alias.name}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in BANNED_CALLS:
            flag(node, f"calls {node.func.id}()")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            pair = (node.value.id, node.attr)
            if pair in BANNED_ATTRIBUTES or any(
                node.value.id == m and node.attr.startswith(p) for m, p in BANNED_PREFIXES
            ):
                flag(node, f"uses {node.value.id}.{node.attr}")
            if node.value.id == "builtins" and node.attr in BANNED_CALLS:
                flag(node, f"uses builtins.{node.attr}")
        elif isinstance(node, ast.Name) and node.id in ("__builtins__",):
            flag(node, "reaches into __builtins__")
    return found


def test_nothing_in_the_game_can_run_code_or_programs_from_data() -> None:
    files = sorted(GAME.rglob("*.py"))
    assert len(files) > 20
    offenders = [line for path in files for line in offenders_in(path)]
    assert not offenders, "\n".join(offenders)


def test_the_scanner_catches_what_it_should(tmp_path: Path) -> None:
    # The scanner itself is tested, so that a pass above means something.
    sample = tmp_path / "sample.py"
    code = (
        "import pickle\nfrom subprocess import run\nimport os\nfrom yaml import load\nimport yaml as y\n"
        "eval('1')\nexec('x=1')\ncompile('1', 'f', 'eval')\n__import__('os')\nos.system('true')\n"
        "os.execv('/bin/true', [])\nyaml.unsafe_load('')\n"
    )
    sample.write_text(code)
    found = offenders_in(sample)
    text = "\n".join(found)
    for what in ("imports pickle", "imports subprocess", "from yaml import load", "calls eval()", "calls exec()",
                 "calls compile()", "calls __import__()", "uses os.system", "uses os.execv", "uses yaml.unsafe_load"):
        assert what in text, what
