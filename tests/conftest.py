"""Which Python is the reference, and what nbval compares on the others.

minloop mirrors the asyncio of Python 3.11 (``REFERENCE_PYTHON`` in
tests/conformance/runner.py), and the notebooks' stored outputs were made on it. The course
also runs and is tested on later Pythons, where some cells cannot show what is stored: they
display CPython's own asyncio source (``show_source(asyncio.tasks._PyTask._Task__wakeup)``,
``inspect.getsource(asyncio.run)``, a diff of CPython's ``_run_once`` against minloop's), and
that source is whatever the running Python installed.

So, in an nbval run (``pytest --nbval -p tests.conftest notebooks/``, as ``make test`` and
``make nb`` do it):

- on Python 3.11 nothing changes: every output of every cell is compared with the stored one;
- on any other Python, every cell still runs and must not raise, and every output is compared,
  except those of the cells found here to show version-specific CPython source. They are found
  from the notebook's code itself, not from tags (see ``cpython_source_cells``), listed in the
  run's summary, each with whether its output differed from the stored 3.11 one.

For runs over tests/ this file is an ordinary conftest: it adds a header line that says which
Python runs and how the conformance suite judges it, and marks every test in
tests/test_browser_*.py ``browser`` (``make test BROWSER_TESTS=0`` leaves them out with
``-m "not browser"``; the HTML edition's player test carries the mark itself), and every test
that feeds an exercise check its wrong answers (tests/test_exercise_mistakes_*.py,
tests/test_ch*_exercises.py) ``exercise_checks`` (``make test CHECK_TESTS=0`` leaves them out).
"""

import ast
import os
import sys

import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from tests.conformance import runner  # noqa: E402

REFERENCE_PYTHON = runner.REFERENCE_PYTHON
REFERENCE = "%d.%d" % REFERENCE_PYTHON
RUNNING = sys.version.split()[0]

# Calls that read source code. A function the notebook defines that calls one of these (or a
# function that does, and so on) reads source too: show_part, show_marked, code_of, ...
SOURCE_READERS = frozenset({"getsource", "getsourcelines", "findsource", "show_source"})


def on_reference_python():
    return sys.version_info[:2] == REFERENCE_PYTHON


# ---------------------------------------------------------------- finding the cells

def _parse(source):
    """A cell's code as an AST (IPython syntax turned into Python first); None if it is not
    Python (then the cell is compared as usual)."""
    try:
        from IPython.core.inputtransformer2 import TransformerManager
        source = TransformerManager().transform_cell(source)
    except Exception:
        source = "\n".join(line for line in source.splitlines()
                           if not line.lstrip().startswith(("%", "!")))
    try:
        return compile(source, "<cell>", "exec",
                       flags=ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT,
                       dont_inherit=True)
    except SyntaxError:
        return None


def _called_name(call):
    f = call.func
    if isinstance(f, ast.Name):
        return f.id
    if isinstance(f, ast.Attribute):
        return f.attr
    return None


def _names(node):
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _targets(node):
    """Plain names bound by an assignment statement."""
    if isinstance(node, ast.Assign):
        targets = node.targets
    elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.NamedExpr)):
        targets = [node.target]
    else:
        return set()
    return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}


def cpython_source_cells(sources):
    """Indexes (into ``sources``, one notebook's code cells in order) of the cells that show
    CPython's asyncio source: a call to a source reader whose arguments name something from
    the standard library's asyncio.

    - Source readers: ``SOURCE_READERS``, and every function the notebook defines whose body
      calls a source reader (to a fixed point, so helpers of helpers count).
    - From asyncio: a name bound by ``import asyncio`` / ``from asyncio... import ...``, or
      assigned from an expression that uses such a name, e.g.
      ``step = getattr(asyncio.tasks._PyTask, "_Task__step")``. A name also bound to
      something else in the notebook (``import minloop as asyncio``, ``loop = ...`` from
      both) does not count: when in doubt a cell is compared, and fails loudly, rather than
      skipped silently.
    """
    trees = [_parse(s) for s in sources]
    nodes = [n for t in trees if t is not None for n in ast.walk(t)]

    readers = set(SOURCE_READERS)
    functions = {}
    for n in nodes:
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions.setdefault(n.name, []).append(n)
        elif isinstance(n, ast.Assign) and isinstance(n.value, ast.Lambda):
            for name in _targets(n):
                functions.setdefault(name, []).append(n.value)
    changed = True
    while changed:
        changed = False
        for name, defs in functions.items():
            if name not in readers and any(
                    isinstance(c, ast.Call) and _called_name(c) in readers
                    for d in defs for c in ast.walk(d)):
                readers.add(name)
                changed = True

    from_asyncio, elsewhere = set(), set()
    for n in nodes:
        if isinstance(n, ast.Import):
            for a in n.names:
                bound = a.asname or a.name.split(".")[0]
                (from_asyncio if a.name.split(".")[0] == "asyncio" else elsewhere).add(bound)
        elif isinstance(n, ast.ImportFrom):
            for a in n.names:
                bound = a.asname or a.name
                is_asyncio = n.level == 0 and (n.module or "").split(".")[0] == "asyncio"
                (from_asyncio if is_asyncio else elsewhere).add(bound)
        elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            elsewhere.add(n.name)
    assignments = [(t, n.value) for n in nodes
                   if isinstance(n, (ast.Assign, ast.AnnAssign, ast.NamedExpr)) and n.value
                   for t in _targets(n)]
    derived = set(from_asyncio)
    changed = True
    while changed:
        changed = False
        for target, value in assignments:
            if target not in derived and _names(value) & derived:
                derived.add(target)
                changed = True
    for target, value in assignments:
        if not _names(value) & derived:
            elsewhere.add(target)
    derived -= elsewhere

    found = []
    for i, tree in enumerate(trees):
        if tree is None:
            continue
        for c in ast.walk(tree):
            if isinstance(c, ast.Call) and _called_name(c) in readers and any(
                    _names(arg) & derived for arg in c.args + [k.value for k in c.keywords]):
                found.append(i)
                break
    return found


# ---------------------------------------------------------------- the pytest hooks

_CELLS = pytest.StashKey()


def _is_nbval_cell(item):
    return type(item).__name__ == "IPyNbCell" and hasattr(item, "options") and \
        hasattr(item, "cell")


def pytest_report_header(config):
    where = os.path.relpath(runner.CHANGES_FILE, REPO_ROOT)
    if on_reference_python():
        return [f"minloop mirrors asyncio {REFERENCE}; this is Python {RUNNING}, the reference: "
                f"notebook outputs are compared strictly"]
    return [f"minloop mirrors asyncio {REFERENCE}; this is Python {RUNNING}: conformance programs "
            f"listed in {where} are judged against asyncio {REFERENCE}'s stored output; nbval "
            f"runs every cell, and compares every output except those of cells that show "
            f"CPython's asyncio source"]


def pytest_itemcollected(item):
    name = os.path.basename(str(item.path))
    if name.startswith("test_browser_"):
        item.add_marker(pytest.mark.browser)
    if name.startswith("test_exercise_mistakes_") or (
            name.startswith("test_ch") and name.endswith("_exercises.py")):
        item.add_marker(pytest.mark.exercise_checks)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(session, config, items):
    """Off the reference Python: run, but do not compare, the cells that show CPython's
    asyncio source."""
    config.stash[_CELLS] = []
    if on_reference_python():
        return
    by_notebook = {}
    for item in items:
        if _is_nbval_cell(item):
            by_notebook.setdefault(item.parent, []).append(item)
    for cells in by_notebook.values():
        cells.sort(key=lambda it: it.cell_num)
        for i in cpython_source_cells([it.cell.source for it in cells]):
            item = cells[i]
            if item.options.get("check", False) and not item.options.get("skip", False):
                item.options["check"] = False
                item.minloop_cpython_source = None     # set after the run: same as stored?
                config.stash[_CELLS].append(item)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    outcome = yield
    if not hasattr(item, "minloop_cpython_source") or outcome.excinfo is not None:
        return
    from nbval.plugin import coalesce_streams
    try:
        same = item.compare_outputs(item.test_outputs, coalesce_streams(item.cell.outputs))
    except Exception:       # only informative: never turn a passing cell into an error
        same = None
    item.minloop_cpython_source = same


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    cells = config.stash.get(_CELLS, [])
    if not cells:
        return
    tr = terminalreporter
    tr.section(f"cells showing CPython's asyncio source: run on Python {RUNNING}, outputs "
               f"compared only on {REFERENCE}", sep="-")
    for item in cells:
        same = item.minloop_cpython_source
        what = {True: "same as stored", False: f"differs from the stored {REFERENCE} output",
                None: "raised (see its failure above)"}[same]
        tr.write_line(f"{item.nodeid}: {what}")
