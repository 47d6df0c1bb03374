"""Conformance: every program in tests/conformance/programs prints the same on minloop as on asyncio.

Each program runs in a fresh interpreter per backend (see tests/conformance/runner.py). All the
runs are started in a thread pool the first time any test here asks for a result, so the whole
suite runs in parallel while each test still reports its own program:

- test_asyncio_reference[NN_name]: asyncio's own output is a usable reference (non-empty, no
  traceback or stderr noise unless the program's docstring allows it, no memory addresses,
  no timeout).
- test_minloop_matches_asyncio[NN_name]: minloop's stdout, exit status and stderr emptiness equal
  asyncio's; on a mismatch the failure shows a unified diff (asyncio is the "from" side) and
  minloop's stderr.
  If minloop cannot be imported these tests fail, they do not skip.

Run the same comparison outside pytest with ``python -m tests.conformance.runner --compare``.
"""

import os
import re
import sys

import pytest

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)

from tests.conformance import runner  # noqa: E402

PROGRAMS = runner.program_paths()
IDS = [os.path.splitext(os.path.basename(p))[0] for p in PROGRAMS]

# A test may wait for its runs behind others in the pool; each run is bounded by runner.TIMEOUT.
TEST_TIMEOUT = 4 * runner.TIMEOUT + 30

ADDRESS = re.compile(r'0x[0-9a-fA-F]{6,}')


@pytest.fixture(scope='module', autouse=True)
def _queue_runs(request):
    """Before the first test here, queue the runs the selected tests need, in the order pytest
    will ask for them (so `-k 07_` runs one program, and waiting is short); on the way out,
    drop runs nobody waits for any more (e.g. after -x or Ctrl-C)."""
    me = sys.modules[__name__]
    needed = {'asyncio': [], 'minloop': []}
    for item in request.session.items:
        if getattr(item, 'module', None) is not me or not hasattr(item, 'callspec'):
            continue
        program = item.callspec.params.get('program')
        if program is None:
            continue
        needed['asyncio'].append(program)
        if item.originalname == 'test_minloop_matches_asyncio':
            needed['minloop'].append(program)
    for backend in runner.BACKENDS:
        for program in needed[backend]:
            runner.submit(backend, program)
    yield
    runner.shutdown()


def _result(backend, program):
    return runner.submit(backend, program).result()


def _docstring(program):
    import ast
    with open(os.path.join(REPO_ROOT, program), encoding='utf-8') as f:
        return ast.get_docstring(ast.parse(f.read())) or ''


def _stderr_tail(result, lines=15):
    tail = result.stderr.strip().splitlines()[-lines:]
    return '\n'.join(tail) if tail else '(empty)'


def test_enough_programs():
    assert len(PROGRAMS) >= 40, PROGRAMS
    numbers = [name.split('_', 1)[0] for name in IDS]
    assert len(set(numbers)) == len(numbers), 'two programs share a number'


@pytest.mark.timeout(TEST_TIMEOUT)
@pytest.mark.parametrize('program', PROGRAMS, ids=IDS)
def test_asyncio_reference(program):
    doc = _docstring(program)
    assert doc.strip(), f'{program}: the first docstring line must say what it pins down'
    res = _result('asyncio', program)
    assert not res.timed_out, (
        f'{program} timed out after {runner.TIMEOUT:g} s on asyncio\n'
        f'stdout so far:\n{res.stdout}\nstderr:\n{_stderr_tail(res)}')
    assert res.stdout.strip(), f'{program} printed nothing on asyncio'
    if runner.MARK_TRACEBACK_OK not in doc:
        assert 'Traceback' not in res.stdout, f'{program}: traceback on stdout\n{res.stdout}'
    if runner.MARK_STDERR_OK not in doc:
        assert not res.stderr.strip(), (
            f'{program} wrote to stderr on asyncio (say {runner.MARK_STDERR_OK!r} in the '
            f'docstring if intended):\n{_stderr_tail(res)}')
    found = ADDRESS.findall(res.stdout)
    assert not found, f'{program} prints memory addresses {found}: output is not reproducible'


@pytest.mark.timeout(TEST_TIMEOUT)
@pytest.mark.parametrize('program', PROGRAMS, ids=IDS)
def test_minloop_matches_asyncio(program):
    expected = _result('asyncio', program)
    actual = _result('minloop', program)
    if actual.import_failed:
        pytest.fail(f'minloop cannot be imported, so {program} cannot run on it:\n'
                    f'{actual.stderr.strip()}', pytrace=False)
    if actual.timed_out:
        pytest.fail(f'{program} timed out after {runner.TIMEOUT:g} s on minloop '
                    f'(asyncio finished in {expected.seconds:.2f} s)\n'
                    f'stdout so far:\n{actual.stdout}\nminloop stderr:\n{_stderr_tail(actual)}',
                    pytrace=False)
    if actual.observed() != expected.observed():
        pytest.fail(f'{program}: minloop differs from asyncio\n'
                    f'{runner.diff(expected, actual, program)}\n'
                    f'minloop stderr (last lines):\n{_stderr_tail(actual)}', pytrace=False)
