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
                 timeout=TIMEOUT):
        self.backend = backend
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
    start = time.monotonic()
    try:
        proc = subprocess.run(cmd, cwd=REPO_ROOT, env=child_env(), capture_output=True,
                              text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        def text(b):
            return b.decode('utf-8', 'replace') if isinstance(b, bytes) else (b or '')
        return Result(backend, program, text(exc.stdout), text(exc.stderr), None,
                      time.monotonic() - start, timed_out=True, timeout=timeout)
    return Result(backend, program, proc.stdout, proc.stderr, proc.returncode,
                  time.monotonic() - start)


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
    """A unified diff of asyncio's observed output against minloop's."""
    import difflib
    return ''.join(difflib.unified_diff(
        expected.observed().splitlines(keepends=True),
        actual.observed().splitlines(keepends=True),
        fromfile=f'{program} [asyncio]', tofile=f'{program} [minloop]'))


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
            submit(b, p)
    same = 0
    for p in programs:
        a, m = submit('asyncio', p).result(), submit('minloop', p).result()
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
    print(f'{same}/{len(programs)} programs identical; wall time {total:.1f} s')
    return 0 if same == len(programs) else 1


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
    if len(argv) != 2 or argv[0] not in BACKENDS:
        print(__doc__, file=sys.stderr)
        return 2
    # The backend is imported from this checkout: the repository root comes first on sys.path
    # (with -m it is the working directory; run as a script it would be this directory).
    sys.path[0] = REPO_ROOT
    return run_one(argv[0], argv[1])


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
