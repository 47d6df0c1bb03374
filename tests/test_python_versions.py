"""The rules that let the suite run on Python 3.12 and 3.13 while minloop mirrors asyncio 3.11:
which notebook cells count as showing CPython's own asyncio source (tests/conftest.py), and
which conformance programs are judged against asyncio 3.11's stored output
(tests/conformance/runner.py)."""

import os
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from tests.conftest import cpython_source_cells  # noqa: E402
from tests.conformance import runner  # noqa: E402

HELPERS = '''\
import asyncio, inspect, textwrap
import minloop
from minloop.viz.source import show_source

def lines_of(func):
    return textwrap.dedent(inspect.getsource(func)).splitlines()

def show_part(func, first):
    start = next(n for n, line in enumerate(lines_of(func), 1) if first in line)
    return show_source(func, lines=(start, start + 3))
'''


def flagged(*cells):
    """The cells (after the helpers cell) found to show CPython's asyncio source."""
    return [i - 1 for i in cpython_source_cells([HELPERS, *cells]) if i]


@pytest.mark.parametrize("cell", [
    "show_source(asyncio.base_events.BaseEventLoop._run_once)",
    "src = inspect.getsource(asyncio.run).splitlines()\nprint(len(src))",
    'show_part(asyncio.tasks._PyTask._Task__wakeup, "def ")',          # a helper's helper
    "print('\\n'.join(lines_of(asyncio.as_completed)))",
    "await asyncio.sleep(0)\nshow_source(asyncio.sleep)",                # top-level await
    "display(show_source(asyncio.futures._PyFuture.set_result, lines=(1, 3)))",
])
def test_cells_that_show_cpython_asyncio_source_are_found(cell):
    assert flagged(cell) == [0]


@pytest.mark.parametrize("cell", [
    "show_source(minloop.tasks.Task.cancel)",                           # minloop's own source
    "show_source(minloop.BaseEventLoop._run_once, lines=(1, 5))",
    "print(asyncio.run)\nprint(inspect.getsource(minloop.run))",         # asyncio, but no source
    "x = (\n",                                                          # not Python: compared
    "def helper(f):\n    return inspect.getsource(f)\n",                 # defines, shows nothing
])
def test_other_cells_are_compared(cell):
    assert flagged(cell) == []


def test_names_taken_from_asyncio_count_and_ambiguous_names_do_not():
    cells = [
        'step = getattr(asyncio.tasks._PyTask, "_Task__step_run_and_handle_result", None)',
        "show_source(step)",
        "loop = asyncio.new_event_loop()",
        "loop = minloop.new_event_loop()",
        "show_source(type(loop).call_soon)",       # `loop` is bound to both: compared
    ]
    assert flagged(*cells) == [1]


def test_asyncio_rebound_to_minloop_is_not_cpython():
    assert cpython_source_cells(["import minloop as asyncio\nfrom minloop.viz.source import "
                                 "show_source", "show_source(asyncio.run)"]) == []


def test_from_asyncio_imports_count():
    assert cpython_source_cells(["from asyncio.tasks import _PyTask\nimport inspect",
                                 "print(inspect.getsource(_PyTask))"]) == [1]


# ---------------------------------------------------------------- conformance


def test_listed_programs_are_judged_against_the_stored_output_off_the_reference(monkeypatch):
    changes = runner.asyncio_changes()
    assert changes, "reference/changes.toml lists no program"
    listed = next(p for p in runner.program_paths() if runner.program_name(p) in changes)
    unlisted = next(p for p in runner.program_paths() if runner.program_name(p) not in changes)

    monkeypatch.setattr(runner, "REFERENCE_PYTHON", sys.version_info[:2])
    assert not runner.judged_by_stored_output(listed)      # on 3.11: the live asyncio

    monkeypatch.setattr(runner, "REFERENCE_PYTHON", (3, 0))
    assert runner.judged_by_stored_output(listed)
    assert not runner.judged_by_stored_output(unlisted)    # compared with the live asyncio
    stored = runner.expected(listed)
    with open(runner.reference_file(listed), encoding="utf-8", newline="") as f:
        assert stored.observed() == f.read()
    assert stored.stdout and stored.observed().startswith(stored.stdout)
    assert "stored in tests/conformance/reference/" in stored.label


def test_record_refuses_to_run_off_the_reference(monkeypatch, capsys):
    monkeypatch.setattr(runner, "REFERENCE_PYTHON", (3, 0))
    assert runner.main(["--record"]) == 2
    assert "--record stores asyncio 3.0's output" in capsys.readouterr().err
