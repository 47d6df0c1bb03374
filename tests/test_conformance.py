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

minloop mirrors asyncio 3.11. A program whose asyncio output changed after 3.11 is listed in
conformance/reference/changes.toml, with asyncio 3.11's output stored beside it: on 3.11 the
stored output must equal asyncio's live one, and on any other Python it is what minloop is
compared with (and what test_asyncio_reference checks). Every other program is compared with
the running asyncio on every Python, so a minloop bug fails on every version.

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
        if not runner.judged_by_stored_output(program):
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


def _record_hint(name):
    ref = '.'.join(map(str, runner.REFERENCE_PYTHON))
    return f'python{ref} -m tests.conformance.runner --record {name}'


def test_stored_outputs_match_changes_toml():
    """Each program listed in reference/changes.toml exists, names the Python version and the
    asyncio change that alter its output, and has asyncio 3.11's output stored; each stored
    output belongs to a listed program."""
    changes = runner.asyncio_changes()
    ref = runner.REFERENCE_PYTHON
    problems = []
    for name, versions in changes.items():
        if name not in IDS:
            problems.append(f'{name}: listed in changes.toml, but there is no such program')
        if not isinstance(versions, dict) or not versions:
            problems.append(f'{name}: give "3.N" = "what asyncio changed" (at least one)')
            continue
        for version, reason in versions.items():
            m = re.fullmatch(r'3\.(\d+)', version)
            if not m or int(m.group(1)) <= ref[1] or not str(reason).strip():
                problems.append(f'{name}: "{version}" = {reason!r}: the key must be a Python '
                                f'version after {ref[0]}.{ref[1]}, the value the change')
        if not os.path.exists(os.path.join(runner.REFERENCE_DIR, name + '.txt')):
            problems.append(f'{name}: no stored output; record it: {_record_hint(name)}')
    stored = sorted(n[:-4] for n in os.listdir(runner.REFERENCE_DIR) if n.endswith('.txt'))
    for name in stored:
        if name not in changes:
            problems.append(f'reference/{name}.txt: stored output of a program not listed in '
                            f'changes.toml (list it, or delete the file)')
    assert not problems, '\n'.join(problems)


def _check_usable_reference(program, doc, stdout, where):
    assert stdout.strip(), f'{program} printed nothing on {where}'
    if runner.MARK_TRACEBACK_OK not in doc:
        assert 'Traceback' not in stdout, f'{program}: traceback on stdout\n{stdout}'
    found = ADDRESS.findall(stdout)
    assert not found, f'{program} prints memory addresses {found}: output is not reproducible'


@pytest.mark.timeout(TEST_TIMEOUT)
@pytest.mark.parametrize('program', PROGRAMS, ids=IDS)
def test_asyncio_reference(program):
    doc = _docstring(program)
    assert doc.strip(), f'{program}: the first docstring line must say what it pins down'
    name = runner.program_name(program)
    if runner.judged_by_stored_output(program):
        # Not Python 3.11, and asyncio's output of this program changed after 3.11: the
        # reference is 3.11's stored output (checked against live asyncio on 3.11).
        stored = runner.StoredResult(program)
        assert stored.text is not None, (
            f'{program} is listed in reference/changes.toml but asyncio 3.11\'s output is not '
            f'stored; record it: {_record_hint(name)}')
        assert runner.MARK_STDERR_OK in doc or not stored.text.endswith('stderr: non-empty\n'), \
            f'{stored.path}: asyncio 3.11 wrote to stderr'
        _check_usable_reference(program, doc, stored.stdout, stored.label)
        return
    res = _result('asyncio', program)
    assert not res.timed_out, (
        f'{program} timed out after {runner.TIMEOUT:g} s on asyncio\n'
        f'stdout so far:\n{res.stdout}\nstderr:\n{_stderr_tail(res)}')
    if runner.MARK_STDERR_OK not in doc:
        assert not res.stderr.strip(), (
            f'{program} wrote to stderr on asyncio (say {runner.MARK_STDERR_OK!r} in the '
            f'docstring if intended):\n{_stderr_tail(res)}')
    _check_usable_reference(program, doc, res.stdout, 'asyncio')
    if runner.on_reference_python() and name in runner.asyncio_changes():
        stored = runner.StoredResult(program)
        assert stored.text is not None, (
            f'{program} is listed in reference/changes.toml but its output is not stored; '
            f'record it: {_record_hint(name)}')
        if stored.text != res.observed():
            pytest.fail(f'{program}: asyncio\'s output is no longer the one stored in '
                        f'{os.path.relpath(stored.path, REPO_ROOT)} (the other Pythons judge '
                        f'minloop against that file); record it again: {_record_hint(name)}\n'
                        f'{runner.diff(stored, res, program)}', pytrace=False)


@pytest.mark.timeout(TEST_TIMEOUT)
@pytest.mark.parametrize('program', PROGRAMS, ids=IDS)
def test_minloop_matches_asyncio(program):
    expected = runner.expected(program)
    if expected.observed() is None:
        pytest.fail(f'{program}: asyncio 3.11\'s output is not stored '
                    f'({os.path.relpath(expected.path, REPO_ROOT)}); '
                    f'record it: {_record_hint(runner.program_name(program))}', pytrace=False)
    actual = _result('minloop', program)
    if actual.import_failed:
        pytest.fail(f'minloop cannot be imported, so {program} cannot run on it:\n'
                    f'{actual.stderr.strip()}', pytrace=False)
    if actual.timed_out:
        took = ('' if isinstance(expected, runner.StoredResult)
                else f' (asyncio finished in {expected.seconds:.2f} s)')
        pytest.fail(f'{program} timed out after {runner.TIMEOUT:g} s on minloop{took}\n'
                    f'stdout so far:\n{actual.stdout}\nminloop stderr:\n{_stderr_tail(actual)}',
                    pytrace=False)
    if actual.observed() != expected.observed():
        hint = ''
        if not runner.on_reference_python() and not runner.judged_by_stored_output(program):
            ref = '.'.join(map(str, runner.REFERENCE_PYTHON))
            hint = (f'\nminloop mirrors asyncio {ref}. If asyncio {ref} prints what minloop '
                    f'prints here (`python{ref} -m tests.conformance.runner asyncio {program}`), '
                    f'asyncio changed after {ref}: list the program in '
                    f'tests/conformance/reference/changes.toml with the change, then run '
                    f'`{_record_hint(runner.program_name(program))}`. Otherwise it is a '
                    f'minloop bug.')
        pytest.fail(f'{program}: minloop differs from {expected.label}\n'
                    f'{runner.diff(expected, actual, program)}\n'
                    f'minloop stderr (last lines):\n{_stderr_tail(actual)}{hint}', pytrace=False)
