"""Run conformance programs on a backend (``asyncio`` or ``minloop``) and compare the outputs.

A conformance program is a plain Python file in ``programs/`` that uses ``asyncio`` as a free
global name (it does not import it), prints what it observes, and usually ends with
``asyncio.run(main())``.  Its first docstring line says what behaviour it pins down.

One program, one backend, one fresh interpreter::

    python -m tests.conformance.runner asyncio tests/conformance/programs/01_call_soon_fifo.py
    python -m tests.conformance.runner minloop tests/conformance/programs/01_call_soon_fifo.py

The program's source is exec()'d with ``{'asyncio': <backend module>, '__name__': '__main__'}``.
An exception that escapes the program is printed to stdout as ``TypeName: message`` (no
traceback: file names and line numbers inside the loop differ between backends) and the exit
status is 1.  A fresh process per run keeps global counters (``Task-N`` names) and loop state
identical across backends.  What is compared: stdout, the exit status, and whether anything
was written to stderr (not its text, which names the loop's own files).

Compare every program (or the ones named) on both backends, in parallel, and print diffs::

    python -m tests.conformance.runner --compare [PROGRAM ...]

Check that asyncio's own output is deterministic (N runs each; CONFORMANCE_JOBS=12 in the
environment oversubscribes the CPUs to shake out timing races)::

    python -m tests.conformance.runner --determinism 3 [--backend=minloop] [PROGRAM ...]

Run from the repository root (the runner does so for its subprocesses): the program path given
on the command line is the file name compiled into the program's code objects, so reprs that
show a coroutine's location (which points into the program, never into the loop) are the same
for both backends, and the same on every machine.

minloop mirrors the asyncio of Python 3.11 (``REFERENCE_PYTHON``). Where a later asyncio
prints something else for a program (a deliberate change, or a bug of some releases), the
program is listed in ``reference/changes.toml`` with the change named, and asyncio 3.11's
output of it is stored in ``reference/NAME.txt``. On 3.11 the stored output must equal asyncio's
live one; on any other Python, minloop's output of a listed program is compared with the stored
3.11 output instead of the running asyncio's. Every other program is compared with the running
asyncio, on every Python. Record (or refresh) a stored output, on Python 3.11 only::

    python3.11 -m tests.conformance.runner --record NAME [NAME ...]
"""

import builtins
import os
import sys
import time

# The child process imports only the modules above, so that the program's own imports (and the
# backend's) are what it pays for; the parent's helpers import what they need locally.

BACKENDS = ('asyncio', 'minloop')
HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
PROGRAMS_DIR = os.path.join(HERE, 'programs')
REFERENCE_DIR = os.path.join(HERE, 'reference')
CHANGES_FILE = os.path.join(REFERENCE_DIR, 'changes.toml')
# The Python whose asyncio minloop mirrors, and whose outputs the notebooks store (README).
REFERENCE_PYTHON = (3, 11)
TIMEOUT = 20.0          # seconds per (program, backend) subprocess
IMPORT_FAILED = 3       # exit status of the runner when the backend cannot be imported
IMPORT_FAILED_PREFIX = 'RUNNER: cannot import backend'

# Markers a program may put in its docstring.
MARK_TRACEBACK_OK = 'conformance: traceback-ok'   # stdout may contain "Traceback"
MARK_STDERR_OK = 'conformance: stderr-ok'         # asyncio may write to stderr


# -- inside the child process ----------------------------------------------------------------

def run_one(backend, path):
    """Exec one program with ``asyncio`` bound to *backend*; return the exit status."""
    try:
        module = __import__(backend)
        module.run  # a package skeleton without the API does not count as importable
    except BaseException as exc:
        print(f'{IMPORT_FAILED_PREFIX} {backend!r}: {type(exc).__name__}: {exc}',
              file=sys.stderr, flush=True)
        return IMPORT_FAILED
    with open(path, encoding='utf-8') as f:
        source = f.read()
    code = compile(source, path, 'exec')
    namespace = {'asyncio': module, '__name__': '__main__', '__file__': path,
                 '__builtins__': builtins}
    status = 0
    try:
        exec(code, namespace)
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            status = exc.code or 0
        else:
            sys.stdout.flush()
            print(exc.code)
            status = 1
    except BaseException as exc:
        sys.stdout.flush()
        print(f'{type(exc).__name__}: {exc}')
        status = 1
    sys.stdout.flush()
    return status


# -- in the parent: run programs in subprocesses ---------------------------------------------

class Result:
    """One (program, backend) run. returncode is None when the run timed out."""

    def __init__(self, backend, program, stdout, stderr, returncode, seconds, timed_out=False,
                 timeout=TIMEOUT, label=None):
        self.backend = backend
        self.label = label or f'{backend} {sys.version_info[0]}.{sys.version_info[1]}'
        self.program = program
        self.stdout = stdout
        self.stderr = stderr
        self.returncode = returncode
        self.seconds = seconds
        self.timed_out = timed_out
        self.timeout = timeout

    @property
    def import_failed(self):
        return self.returncode == IMPORT_FAILED and IMPORT_FAILED_PREFIX in self.stderr

    def observed(self):
        """What is compared between backends: stdout, the exit status, whether stderr is empty.

        stderr's text is not compared (tracebacks name the loop's own files and lines), only
        whether there is any: a warning or log line one backend prints and the other does not
        is something a user sees.
        """
        if self.timed_out:
            status = f'TIMED OUT after {self.timeout:g} s'
        else:
            status = f'exit status {self.returncode}'
        noise = 'stderr: non-empty' if self.stderr.strip() else 'stderr: empty'
        return self.stdout + f'--- {status}, {noise}\n'


def program_paths():
    """All programs, sorted, as paths relative to the repository root."""
    names = sorted((n for n in os.listdir(PROGRAMS_DIR)
                    if n.endswith('.py') and n[:1].isdigit()),
                   key=lambda n: (int(n.split('_', 1)[0]), n))
    return [os.path.relpath(os.path.join(PROGRAMS_DIR, n), REPO_ROOT) for n in names]


# -- asyncio versions: programs judged against asyncio 3.11's stored output ------------------

def on_reference_python():
    return sys.version_info[:2] == REFERENCE_PYTHON


def program_name(program):
    """'tests/conformance/programs/38_bad_yield.py' -> '38_bad_yield'."""
    return os.path.splitext(os.path.basename(program))[0]


def asyncio_changes():
    """{program name: {first Python version: the asyncio change}} from reference/changes.toml."""
    import tomllib
    try:
        with open(CHANGES_FILE, 'rb') as f:
            return tomllib.load(f)
    except FileNotFoundError:
        return {}


def reference_file(program):
    return os.path.join(REFERENCE_DIR, program_name(program) + '.txt')


def judged_by_stored_output(program):
    """On a Python other than 3.11, a program listed in changes.toml is judged against asyncio
    3.11's stored output, not against the running asyncio."""
    return not on_reference_python() and program_name(program) in asyncio_changes()


class StoredResult:
    """asyncio 3.11's observed output of a program, as ``--record`` stored it."""

    backend = 'asyncio'
    timed_out = False
    import_failed = False
    seconds = 0.0
    returncode = None

    def __init__(self, program):
        self.program = program
        self.path = reference_file(program)
        try:
            with open(self.path, encoding='utf-8', newline='') as f:
                self.text = f.read()
        except FileNotFoundError:
            self.text = None
        stdout, sep, _ = (self.text or '').rpartition('--- ')
        self.stdout = stdout if sep else ''
        self.stderr = ''
        self.label = (f'asyncio {REFERENCE_PYTHON[0]}.{REFERENCE_PYTHON[1]}, stored in '
                      f'{os.path.relpath(self.path, REPO_ROOT)}')

    def observed(self):
        return self.text


def expected(program):
    """What minloop's run of *program* must observe: asyncio's output on this Python, or, for a
    program whose asyncio output changed after 3.11, asyncio 3.11's stored output."""
    if judged_by_stored_output(program):
        return StoredResult(program)
    return submit('asyncio', program).result()


def child_env():
    env = dict(os.environ)
    for var in ('PYTHONASYNCIODEBUG', 'PYTHONDEVMODE', 'PYTHONWARNINGS', 'PYTHONSTARTUP',
                'PYTHONTRACEMALLOC'):
        env.pop(var, None)
    env['PYTHONHASHSEED'] = '0'
    env['PYTHONIOENCODING'] = 'utf-8'
    env['PYTHONDONTWRITEBYTECODE'] = '1'
    env['PYTHONUNBUFFERED'] = '1'   # a run killed by the timeout still shows what it printed
    return env


def run_program(backend, program, timeout=TIMEOUT, python=None):
    """Run *program* (a path relative to the repo root) on *backend* in a fresh interpreter."""
    import subprocess
    # By file path rather than -m, so an unrelated installed package called 'tests' cannot
    # shadow this directory; run_one puts the repository root first on sys.path.
    cmd = [python or sys.executable, os.path.join(HERE, 'runner.py'), backend, program]
    label = f'{backend} on {python}' if python else None
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=REPO_ROOT, env=child_env(), capture_output=True,
                              text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        def text(b):
            return b.decode('utf-8', 'replace') if isinstance(b, bytes) else (b or '')
        return Result(backend, program, text(exc.stdout), text(exc.stderr), None,
                      time.monotonic() - start, timed_out=True, timeout=timeout, label=label)
    return Result(backend, program, proc.stdout, proc.stderr, proc.returncode,
                  time.monotonic() - start, label=label)


def jobs():
    """How many subprocesses run at once: $CONFORMANCE_JOBS, else twice the CPU count.

    Not more: the programs use small real sleeps, and heavy oversubscription of the CPUs would
    add scheduling jitter to them.
    """
    env = os.environ.get('CONFORMANCE_JOBS')
    if env:
        return max(1, int(env))
    return max(2, 2 * (os.cpu_count() or 1))


_executor = None
_futures = {}


def submit(backend, program):
    """Start (once) running *program* on *backend* in the shared pool; return its Future."""
    global _executor
    import concurrent.futures
    key = (backend, program)
    if key not in _futures:
        if _executor is None:
            _executor = concurrent.futures.ThreadPoolExecutor(jobs())
        _futures[key] = _executor.submit(run_program, backend, program)
    return _futures[key]


def shutdown():
    """Drop queued runs that have not started; running ones finish (each is bounded)."""
    global _executor
    if _executor is not None:
        _executor.shutdown(wait=False, cancel_futures=True)
        _executor = None
    _futures.clear()


def diff(expected, actual, program):
    """A unified diff of asyncio's observed output (live or stored) against minloop's."""
    import difflib
    return ''.join(difflib.unified_diff(
        expected.observed().splitlines(keepends=True),
        actual.observed().splitlines(keepends=True),
        fromfile=f'{program} [{expected.label}]', tofile=f'{program} [{actual.label}]'))


def _select(args):
    if not args:
        return program_paths()
    out = []
    for a in args:
        if os.path.exists(a):
            out.append(os.path.relpath(os.path.abspath(a), REPO_ROOT))
        else:
            out.extend(p for p in program_paths() if a in os.path.basename(p))
    return out


def compare_main(args):
    programs = _select(args)
    start = time.monotonic()
    for p in programs:
        for b in BACKENDS:
            if b == 'minloop' or not judged_by_stored_output(p):
                submit(b, p)
    same = 0
    for p in programs:
        a, m = expected(p), submit('minloop', p).result()
        if a.observed() is None:
            print(f'=== {p}: no stored output of asyncio {REFERENCE_PYTHON[0]}.'
                  f'{REFERENCE_PYTHON[1]} ({a.path}): run --record on Python 3.11')
            continue
        if a.observed() == m.observed():
            same += 1
            continue
        print(f'=== {p}: DIFFERS')
        if m.import_failed:
            print(m.stderr.strip())
            continue
        print(diff(a, m, p), end='')
        if m.stderr.strip():
            print('--- minloop stderr (last lines):')
            print('\n'.join(m.stderr.strip().splitlines()[-8:]))
    total = time.monotonic() - start
    stored = sum(map(judged_by_stored_output, programs))
    note = (f' ({stored} against asyncio {REFERENCE_PYTHON[0]}.{REFERENCE_PYTHON[1]}\'s stored '
            f'output: see reference/changes.toml)' if stored else '')
    print(f'{same}/{len(programs)} programs identical{note}; wall time {total:.1f} s')
    return 0 if same == len(programs) else 1


def record_main(args):
    """Store asyncio 3.11's output of the programs named (default: every program listed in
    reference/changes.toml), after checking that three runs agree."""
    import concurrent.futures
    if not on_reference_python():
        print(f'--record stores asyncio {REFERENCE_PYTHON[0]}.{REFERENCE_PYTHON[1]}\'s output: '
              f'run it with Python {REFERENCE_PYTHON[0]}.{REFERENCE_PYTHON[1]}, not '
              f'{sys.version.split()[0]}', file=sys.stderr)
        return 2
    changes = asyncio_changes()
    programs = _select(args) if args else [p for p in program_paths()
                                           if program_name(p) in changes]
    unlisted = [program_name(p) for p in programs if program_name(p) not in changes]
    if unlisted:
        print(f'not in {os.path.relpath(CHANGES_FILE, REPO_ROOT)}: {" ".join(unlisted)}: add '
              f'each with the asyncio change that alters its output first', file=sys.stderr)
        return 2
    pool = concurrent.futures.ThreadPoolExecutor(jobs())
    runs = {p: [pool.submit(run_program, 'asyncio', p) for _ in range(3)] for p in programs}
    bad = 0
    for p, fs in runs.items():
        results = [f.result() for f in fs]
        outs = {r.observed() for r in results}
        if len(outs) != 1 or results[0].timed_out:
            print(f'NOT RECORDED {p}: asyncio\'s output is not reproducible (3 runs)')
            bad += 1
            continue
        os.makedirs(REFERENCE_DIR, exist_ok=True)
        with open(reference_file(p), 'w', encoding='utf-8', newline='') as f:
            f.write(outs.pop())
        print(f'recorded {os.path.relpath(reference_file(p), REPO_ROOT)}')
    pool.shutdown()
    return 1 if bad else 0


def determinism_main(args):
    import concurrent.futures
    import difflib
    n = int(args[0])
    backend = 'asyncio'
    rest = []
    for a in args[1:]:
        if a.startswith('--backend='):
            backend = a.split('=', 1)[1]
        else:
            rest.append(a)
    programs = _select(rest)
    pool = concurrent.futures.ThreadPoolExecutor(jobs())
    futs = {p: [pool.submit(run_program, backend, p) for _ in range(n)] for p in programs}
    bad = 0
    for p, fs in futs.items():
        results = [f.result() for f in fs]
        outs = {r.observed() for r in results}
        slowest = max(r.seconds for r in results)
        flag = 'ok' if len(outs) == 1 else 'NONDETERMINISTIC'
        notes = []
        if results[0].stderr.strip():
            notes.append('stderr')
        if results[0].returncode:
            notes.append(f'exit {results[0].returncode}')
        print(f'{flag:16} {slowest:5.2f}s  {p}  {" ".join(notes)}')
        if len(outs) != 1:
            bad += 1
            o = sorted(outs)
            print(''.join(difflib.unified_diff(o[0].splitlines(True), o[1].splitlines(True))))
    pool.shutdown()
    return 1 if bad else 0


def main(argv):
    if argv and argv[0] == '--compare':
        return compare_main(argv[1:])
    if argv and argv[0] == '--determinism':
        return determinism_main(argv[1:])
    if argv and argv[0] == '--record':
        return record_main(argv[1:])
    if len(argv) != 2 or argv[0] not in BACKENDS:
        print(__doc__, file=sys.stderr)
        return 2
    # The backend is imported from this checkout: the repository root comes first on sys.path
    # (with -m it is the working directory; run as a script it would be this directory).
    sys.path[0] = REPO_ROOT
    return run_one(argv[0], argv[1])


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
