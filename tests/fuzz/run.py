"""Run random asyncio programs on asyncio and on minloop and compare what they print.

    python -m tests.fuzz.run --examples 200 [--seed 1] [--clock virtual|real|both] [--keep-going]

Each backend has its own persistent worker process (``--worker BACKEND``, started by the
parent): it reads programs as JSON lines and runs each in a fresh namespace on a fresh loop,
and answers with the program's trace. Three workers run every program: asyncio twice (two
processes, to check that asyncio's own trace is deterministic; the second allocates a random
amount of ballast first, so that a trace that depends on the iteration order of a set of tasks,
i.e. on addresses, shows up as nondeterministic) and minloop once.

Clocks:

- ``virtual`` (default): each backend's own selector event loop, subclassed only to read a
  virtual clock (``time()``) that jumps to the earliest timer whenever ``select()`` would
  block; everything else is the backend's own code. ``U`` is 1, every print is prefixed with
  the virtual time in ticks, so a trace also says *when* each thing happened. A program that
  would block forever (nothing ready, no timer) is cut there: the trace ends ``DEADLOCK``.
- ``real``: plain ``asyncio.run`` / ``minloop.run`` on the real clock, ``U`` = 5 ms. Only
  programs whose virtual run showed no deadlock, no two timers of different origins due at the
  same instant (which real time would race), and an end before 60 ticks are run this way,
  one backend at a time. A divergence on the real clock counts only if two more runs of both
  confirm it (jitter can delay minloop, the slower, past a timer 5 ms away).

What is compared: every line the program prints (prefixed, on the virtual clock, with the
time in ticks), ``main raised ...`` if an exception escapes main, the lines printed after
main's end (asyncio.run cancelling leftovers, in set order) sorted, and the log lines written
to stderr (not tracebacks), addresses masked.

A program whose two asyncio traces differ is not compared (it is counted as nondeterministic).
On a divergence hypothesis shrinks the program and the CLI prints the minimal program and both
traces; ``--keep-going`` instead counts every divergence and stores each program under
``--out`` (unshrunk) without stopping.
"""

import argparse
import builtins
import gc
import io
import json
import os
import re
import select
import subprocess
import sys
import time
import warnings

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(os.path.dirname(HERE))
FILENAME = 'tests/fuzz/program.py'   # the file name compiled into every program's code
REAL_TICK = 0.005                    # U on the real clock
REAL_MAX_TICKS = 60                  # longer programs are not run on the real clock
PROGRAM_TIMEOUT = 20.0               # seconds a worker may take for one program
ADDRESS = re.compile(r'0x[0-9a-fA-F]+')


# -- inside a worker process -------------------------------------------------------------------

class Deadlock(BaseException):
    """The virtual clock has nothing to jump to and nothing is ready: the program is stuck."""


class _VirtualSelector:
    """Wraps the loop's selector: select() never blocks; it moves the loop's clock instead."""

    def __init__(self, loop, selector):
        self._loop = loop
        self._selector = selector

    def __getattr__(self, name):
        return getattr(self._selector, name)

    def select(self, timeout=None):
        events = self._selector.select(0)
        if events or timeout == 0:
            return events
        loop = self._loop
        if timeout is None:
            loop._fuzz_deadlocked = True
            raise Deadlock()
        # The loop computed timeout from its earliest timer: jump to that timer exactly.
        loop._vnow = max(loop._vnow, loop._scheduled[0]._when)
        return events


def virtual_loop_class(base):
    class VirtualLoop(base):
        def __init__(self, *args, **kwargs):
            self._vnow = 0.0
            self._fuzz_deadlocked = False
            self._fuzz_timers = []     # (when, now) of every call_at: for the tie check
            super().__init__(*args, **kwargs)
            self._selector = _VirtualSelector(self, self._selector)

        def time(self):
            return self._vnow

        def call_at(self, when, callback, *args, **kwargs):
            self._fuzz_timers.append((when, self._vnow))
            return super().call_at(when, callback, *args, **kwargs)

    return VirtualLoop


def _stderr_lines(text):
    """The lines of stderr a user reads first: log messages, not tracebacks (they name the
    loop's own files)."""
    out = []
    for line in text.splitlines():
        if not line.strip() or line[:1].isspace() or line.startswith('Traceback'):
            continue
        out.append('stderr: ' + ADDRESS.sub('0x?', line))
    return out


def run_program(backend_name, module, source, clock, perturb=None):
    """Run one program; return {'trace': str, 'deadlock': bool, 'tie': bool, 'end': ticks}.

    perturb: a seed, to allocate a random number of objects of random sizes first (kept alive
    during the run), so that objects' addresses, and so the iteration order of sets of tasks
    (a TaskGroup's children, all_tasks()), are not those of an unperturbed run.
    """
    ballast = None
    if perturb is not None:
        import random
        rnd = random.Random(perturb)
        ballast = [bytearray(rnd.randint(16, 600)) if rnd.random() < 0.5 else object()
                   for _ in range(rnd.randint(1, 3000))]
    lines, teardown = [], []
    state = {'loop': None}
    virtual = clock == 'virtual'

    def trace_print(*args, sep=' ', end='\n', file=None, flush=False):
        if file is not None and file not in (sys.stdout,):
            return builtins.print(*args, sep=sep, end=end, file=file, flush=flush)
        loop = state['loop']
        if loop is not None and loop._fuzz_deadlocked:
            return  # what runs after the deadlock is asyncio.run's clean-up, in set order
        text = sep.join(map(str, args))
        if virtual and loop is not None:
            text = f'[{loop._vnow:g}] ' + text
        main_task = ns.get('T', {}).get('main')
        # After main's end, asyncio.run cancels the tasks left over in all_tasks() order (a
        # set's): what they print is compared sorted.
        out = teardown if main_task is not None and main_task.done() else lines
        out.append(ADDRESS.sub('0x?', text))

    ns = {'asyncio': module, '__name__': '__fuzz__', '__file__': FILENAME,
          '__builtins__': builtins, 'print': trace_print,
          'U': 1.0 if virtual else REAL_TICK}
    err = io.StringIO()
    old_err = sys.stderr
    sys.stderr = err
    result = {'deadlock': False, 'tie': False, 'end': 0.0}
    try:
        exec(compile(source, FILENAME, 'exec'), ns)
        if virtual:
            base = module.SelectorEventLoop
            Loop = virtual_loop_class(base)

            def factory():
                loop = Loop()
                state['loop'] = loop
                return loop
            with module.Runner(loop_factory=factory) as runner:
                runner.run(ns['main']())
        else:
            module.run(ns['main']())
    except Deadlock:
        pass
    except BaseException as exc:
        if state['loop'] is not None and state['loop']._fuzz_deadlocked:
            pass
        else:
            lines.append(f'main raised {type(exc).__name__}: {ADDRESS.sub("0x?", str(exc))}')
    finally:
        gc.collect()
        sys.stderr = old_err
    loop = state['loop']
    if loop is not None:
        if loop._fuzz_deadlocked:
            lines.append(f'[{loop._vnow:g}] DEADLOCK')
            result['deadlock'] = True
        seen = {}
        for when, now in loop._fuzz_timers:
            if when in seen and seen[when] != now:
                result['tie'] = True
            seen.setdefault(when, now)
        result['end'] = loop._vnow
    lines += ['after main: ' + line for line in sorted(teardown)]
    lines += _stderr_lines(err.getvalue())
    result['trace'] = '\n'.join(lines) + '\n'
    return result


def worker_main(backend_name):
    sys.path.insert(0, REPO_ROOT)
    module = __import__(backend_name)
    warnings.simplefilter('always')   # the same warnings whatever ran before in this process
    out = sys.stdout
    for line in sys.stdin:
        req = json.loads(line)
        try:
            res = run_program(backend_name, module, req['source'], req['clock'],
                              req.get('perturb'))
        except BaseException as exc:  # a harness error: report it, keep serving
            res = {'trace': f'HARNESS ERROR {type(exc).__name__}: {exc}\n', 'deadlock': False,
                   'tie': False, 'end': 0.0}
        out.write(json.dumps(res) + '\n')
        out.flush()
    return 0


# -- in the parent -----------------------------------------------------------------------------

def _env():
    # The conformance runner's clean environment (no debug mode, fixed hash seed...).
    from tests.conformance.runner import child_env
    return child_env()


class Worker:
    """A persistent process that runs programs on one backend."""

    def __init__(self, backend, perturb=False):
        self.backend = backend
        self.perturb = perturb
        self.count = 0
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__), '--worker', self.backend],
            cwd=REPO_ROOT, env=_env(), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True, bufsize=1)

    def send(self, source, clock):
        if self.proc is None or self.proc.poll() is not None:
            self.start()
        self.count += 1
        req = {'source': source, 'clock': clock, 'perturb': self.count if self.perturb else None}
        self.proc.stdin.write(json.dumps(req) + '\n')
        self.proc.stdin.flush()

    def receive(self, deadline):
        fd = self.proc.stdout
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        line = fd.readline() if ready else ''
        if not line:
            self.stop()
            return {'trace': 'TIMED OUT (or the worker died)\n', 'deadlock': False,
                    'tie': False, 'end': 0.0, 'timeout': True}
        return json.loads(line)

    def stop(self):
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()
            self.proc = None


class Harness:
    """asyncio twice (two workers) and minloop once, on each program."""

    def __init__(self):
        self.workers = {'asyncio': Worker('asyncio'), 'asyncio2': Worker('asyncio', perturb=True),
                        'minloop': Worker('minloop')}
        self.stats = {'programs': 0, 'virtual_compared': 0, 'real_compared': 0,
                      'nondeterministic_virtual': 0, 'nondeterministic_real': 0,
                      'deadlock': 0, 'tie': 0, 'real_skipped': 0, 'divergences': 0, 'real_flaky': 0,
                      'seconds': 0.0}
        self.nondeterministic = []

    def close(self):
        for w in self.workers.values():
            w.stop()

    def run_all(self, source, clock):
        if clock == 'real':
            # One at a time: three programs on two cores would add timer jitter.
            out = {}
            for k, w in self.workers.items():
                w.send(source, clock)
                out[k] = w.receive(time.monotonic() + PROGRAM_TIMEOUT)
            return out
        deadline = time.monotonic() + PROGRAM_TIMEOUT
        for w in self.workers.values():
            w.send(source, clock)
        return {k: w.receive(deadline) for k, w in self.workers.items()}

    def check(self, source, clocks=('virtual',)):
        """Run *source* on both; return None if the traces agree (or asyncio's do not agree
        with each other), else (clock, asyncio trace, minloop trace)."""
        start = time.monotonic()
        self.stats['programs'] += 1
        try:
            virtual = None
            for clock in clocks:
                if clock == 'real':
                    if virtual is None:
                        virtual = self.run_all(source, 'virtual')
                    a = virtual['asyncio']
                    if a['deadlock'] or a['tie'] or a['end'] > REAL_MAX_TICKS or a.get('timeout'):
                        self.stats['real_skipped'] += 1
                        continue
                    res = self.run_all(source, 'real')
                else:
                    res = virtual = self.run_all(source, 'virtual')
                    self.stats['deadlock'] += res['asyncio']['deadlock']
                    self.stats['tie'] += res['asyncio']['tie']
                a1, a2, m = (res[k]['trace'] for k in ('asyncio', 'asyncio2', 'minloop'))
                if a1 != a2:
                    self.stats['nondeterministic_' + clock] += 1
                    self.nondeterministic.append((clock, source, a1, a2))
                    continue
                self.stats[clock + '_compared'] += 1
                if a1 != m and clock == 'real':
                    # The real clock has jitter, and minloop (pure Python) is the slower of
                    # the two: a divergence counts only if two more runs of both confirm it.
                    for _ in range(2):
                        again = self.run_all(source, 'real')
                        if again['asyncio']['trace'] == again['minloop']['trace']:
                            self.stats['real_flaky'] += 1
                            break
                    else:
                        self.stats['divergences'] += 1
                        return clock, a1, m
                elif a1 != m:
                    self.stats['divergences'] += 1
                    return clock, a1, m
            return None
        finally:
            self.stats['seconds'] += time.monotonic() - start


def diff_text(a, m, a_name='asyncio', m_name='minloop'):
    import difflib
    return ''.join(difflib.unified_diff(a.splitlines(True), m.splitlines(True),
                                        a_name, m_name))


def compare(source, clock='virtual'):
    """For tests: (asyncio trace, minloop trace) of one program, in fresh worker processes."""
    h = Harness()
    try:
        res = h.run_all(source, clock)
    finally:
        h.close()
    return res['asyncio']['trace'], res['minloop']['trace']


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    p.add_argument('--worker', help=argparse.SUPPRESS)
    p.add_argument('--examples', type=int, default=100)
    p.add_argument('--seed', type=int, default=None)
    p.add_argument('--clock', choices=['virtual', 'real', 'both'], default='virtual')
    p.add_argument('--keep-going', action='store_true',
                   help='do not stop (nor shrink) at a divergence: count them all')
    p.add_argument('--out', default=None, help='with --keep-going: store diverging programs here')
    p.add_argument('--max-workers', type=int, default=4)
    p.add_argument('--max-ops', type=int, default=5)
    args = p.parse_args(argv)
    if args.worker:
        return worker_main(args.worker)

    sys.path.insert(0, REPO_ROOT)
    from hypothesis import HealthCheck, given, settings, seed as hseed, Phase
    from tests.fuzz.programs import programs

    clocks = ('virtual', 'real') if args.clock == 'both' else (args.clock,)
    h = Harness()
    found = []
    phases = [Phase.generate] if args.keep_going else [Phase.generate, Phase.shrink]

    @settings(max_examples=args.examples, deadline=None, database=None, phases=phases,
              suppress_health_check=list(HealthCheck), print_blob=False)
    @given(programs(max_workers=args.max_workers, max_ops=args.max_ops))
    def fuzz(source):
        bad = h.check(source, clocks)
        if bad is None:
            return
        found.append((source, bad))
        if args.keep_going:
            if args.out:
                os.makedirs(args.out, exist_ok=True)
                with open(os.path.join(args.out, f'div{len(found):03d}.py'), 'w') as f:
                    f.write(source)
            return
        raise AssertionError('traces differ')

    if args.seed is not None:
        fuzz = hseed(args.seed)(fuzz)
    t0 = time.monotonic()
    status = 0
    try:
        fuzz()
    except AssertionError:
        status = 1
        source, (clock, a, m) = found[-1]
        print('=== minimal diverging program (clock: %s) ===' % clock)
        print(source)
        print('=== asyncio trace ===')
        print(a, end='')
        print('=== minloop trace ===')
        print(m, end='')
        print('=== diff ===')
        print(diff_text(a, m), end='')
    finally:
        h.close()
    wall = time.monotonic() - t0
    s = h.stats
    print(f"fuzz: {s['programs']} program runs ({'shrinking included' if status else 'generated'}) "
          f"in {wall:.1f} s; compared: {s['virtual_compared']} virtual, {s['real_compared']} real "
          f"({s['real_skipped']} not run on the real clock, {s['real_flaky']} real-clock "
          f"divergences not confirmed by two reruns); diverging runs: {s['divergences']}; "
          f"asyncio nondeterministic: {s['nondeterministic_virtual']} virtual, "
          f"{s['nondeterministic_real']} real; deadlocked: {s['deadlock']}; timer ties: {s['tie']}")
    for clock, source, a1, a2 in h.nondeterministic[:3]:
        print(f'--- asyncio nondeterministic ({clock}):')
        print(source)
        print(diff_text(a1, a2, 'asyncio run 1', 'asyncio run 2 (perturbed)'))
    if args.keep_going and found:
        status = 1
    return status


if __name__ == '__main__':
    sys.exit(main())
