"""Hypothesis strategies that write random asyncio programs (as program text).

A program is a handful of worker tasks ``w0 .. wN`` started by ``main``, each running a short
random body, plus a body for ``main`` itself. The vocabulary: create_task, sleep (a number of
ticks of ``U`` seconds), cancel with and without a message, gather (with and without
return_exceptions), wait_for (timeouts of some ticks, 0 or None), wait (FIRST_COMPLETED /
FIRST_EXCEPTION / ALL_COMPLETED, with and without a timeout; sets are printed sorted), shield,
timeout() (some ticks, 0 or None; reschedule() inside), TaskGroup, Queue put/get/join/task_done
(bounded or not, waiting and nowait), Lock, Event, Semaphore (plain or bounded),
try/except/finally with several exception classes, cancelling()/uncancel().

Every line a program prints names the task that printed it and the operation (``op7``), so a
trace says what each task did, what each await returned or raised (exception types, args,
ExceptionGroup members), and, at the end, the final state of every task.

The text uses ``asyncio`` as a free name (the runner binds it to asyncio or to minloop, as the
conformance runner does) and reads the tick ``U`` from its globals (default 5 ms), so a program
printed in a report runs as it is: ``python -m tests.conformance.runner asyncio prog.py``.

Rules that keep the programs meaningful:
- a worker awaits (awaits, gathers, wait_fors, shields, waits on) only workers with a higher
  index, so no cycle of awaits can deadlock; cancel may target anyone, main and itself included;
- ``main`` ends (in ``finally``) by waiting for every task, cancelling what is left (in name
  order), and printing every task's final state in name order, so asyncio.run never has to
  cancel leftovers itself (it does so in set order, which differs between backends);
- nothing prints an address or a task's automatic name, nor anything whose order is a set's
  iteration order (sets are printed sorted; a TaskGroup's children do not print when they are
  cancelled, as a TaskGroup cancels them in the order of its set of tasks).
"""

from hypothesis import strategies as st

EXC_CLASSES = ('ValueError', 'KeyError', 'RuntimeError')
CATCH_CLASSES = ('ValueError', 'Exception', 'asyncio.CancelledError', 'TimeoutError',
                 'BaseException')
RETURN_WHEN = ('FIRST_COMPLETED', 'FIRST_EXCEPTION', 'ALL_COMPLETED')
LEAF_OUTCOMES = ('ok', 'raise', 'swallow')

PRELUDE = '''\
U = globals().get('U', 0.005)   # one tick, in seconds (the fuzz harness may set its own)
T = {}                          # every task by name; 'main' is main's own task


def fmt(x):
    if isinstance(x, BaseExceptionGroup):
        return f'{type(x).__name__}({x.args[0]!r}, [{", ".join(map(fmt, x.exceptions))}])'
    if isinstance(x, BaseException):
        return f'{type(x).__name__}{x.args!r}'
    if isinstance(x, (list, tuple)):
        return '[' + ', '.join(map(fmt, x)) + ']'
    return repr(x)


def state(t):
    if not t.done():
        return 'pending'
    if t.cancelled():
        try:
            t.result()
        except asyncio.CancelledError as e:
            return 'cancelled ' + fmt(e)
    e = t.exception()
    return 'raised ' + fmt(e) if e is not None else 'returned ' + fmt(t.result())


def names(tasks):
    return sorted(t.get_name() for t in tasks)


def spawn(name, coro):
    T[name] = asyncio.create_task(coro, name=name)
    return T[name]


async def leaf(name, d, outcome, quiet=False):
    print(name, 'start')
    try:
        await asyncio.sleep(d * U)
    except asyncio.CancelledError as e:
        if not quiet:  # a TaskGroup cancels its children in set order: not printed
            print(name, 'cancelled', fmt(e))
        if outcome == 'swallow':
            return name + ' swallowed'
        raise
    if outcome == 'raise':
        print(name, 'raises')
        raise ValueError(name)
    print(name, 'done')
    return name


async def finish():
    """Wait for every task, cancel what is left (name order), print every final state."""
    for _ in range(3):
        pending = [T[n] for n in sorted(T) if n != 'main' and not T[n].done()]
        if not pending:
            break
        try:
            await asyncio.wait(pending, timeout=100 * U)
        except asyncio.CancelledError as e:
            print('finish: main cancelled', fmt(e))
        for t in pending:
            if not t.done():
                print('finish: cancel', t.get_name(), t.cancel())
    for n in sorted(T):
        if n != 'main':
            print('final', n, state(T[n]))
'''

MAIN_HEAD = '''\

async def main():
    global q, lock, ev, sem
    q = asyncio.Queue(maxsize={qmax})
    lock = asyncio.Lock()
    ev = asyncio.Event()
    sem = asyncio.{semcls}({semval})
    T['main'] = asyncio.current_task()
'''

MAIN_TAIL = '''\


if __name__ == '__main__':
    asyncio.run(main())
'''


# -- the program as data: nested tuples, drawn by hypothesis, rendered to text -----------------

ticks = st.integers(min_value=1, max_value=12)
# A timeout: usually some ticks, sometimes 0 (expires at once) or None (never).
timeouts = st.one_of(ticks, ticks, ticks, st.just(0), st.none())


@st.composite
def leaves(draw):
    return ('leaf', draw(st.integers(min_value=0, max_value=12)), draw(st.sampled_from(LEAF_OUTCOMES)))


def task_refs(lo, n):
    """A reference to one of the workers lo .. n-1 (those a task may await)."""
    return st.integers(min_value=lo, max_value=n - 1).map(lambda i: ('task', i))


def items(lo, n, depth):
    """Something awaitable: a worker task (lo..n-1), a leaf coroutine, or a wrapper of one."""
    base = [leaves(), st.just(('q_get',)), st.just(('ev_wait',)), st.just(('q_join',)),
            st.tuples(st.just('q_put'), st.integers(min_value=0, max_value=99))]
    if lo < n:
        base.append(task_refs(lo, n))
    choices = list(base)
    if depth > 0:
        sub = items(lo, n, depth - 1)
        choices += [
            st.tuples(st.just('wait_for'), sub, timeouts),
            st.tuples(st.just('shield'), sub),
            st.tuples(st.just('gather'), st.lists(sub, min_size=0, max_size=3),
                      st.booleans()),
        ]
    return st.one_of(*choices)


def expressions(lo, n):
    return st.one_of(
        items(lo, n, 2),
        st.tuples(st.just('sleep_result'), st.integers(min_value=0, max_value=12)),
    )


def statements(me, n, depth):
    """A statement of worker ``me`` (-1 for main) in a program of ``n`` workers."""
    lo = me + 1  # a worker awaits only higher-numbered workers; main awaits any
    targets = st.sampled_from(['main'] + [f'w{i}' for i in range(n)])
    simple = [
        st.tuples(st.just('sleep'), ticks),
        st.just(('yield',)),
        st.tuples(st.just('raise'), st.sampled_from(EXC_CLASSES)),
        st.just(('return',)),
        st.tuples(st.just('cancel'), targets, st.sampled_from([None, 'm1', 'm2'])),
        st.tuples(st.just('await'), expressions(lo, n), st.sampled_from(['prop', 'catch', 'catch_exc'])),
        st.tuples(st.just('spawn'), leaves()),
        st.tuples(st.just('cancelling'), st.booleans()),
        st.just(('ev_set',)),
        st.just(('ev_clear',)),
        st.tuples(st.just('put_nowait'), st.integers(min_value=0, max_value=99)),
        st.just(('get_nowait',)),
        st.just(('task_done',)),
    ]
    wait_items = st.lists(st.one_of(task_refs(lo, n), leaves()) if lo < n else leaves(),
                          min_size=1, max_size=3)
    simple.append(st.tuples(st.just('wait'), wait_items, st.sampled_from(RETURN_WHEN),
                            st.one_of(st.none(), ticks), st.sampled_from(['prop', 'catch'])))
    if depth <= 0:
        return st.one_of(*simple)
    body = st.lists(statements(me, n, depth - 1), min_size=1, max_size=3)
    compound = [
        st.tuples(st.just('try'), body, st.sampled_from(CATCH_CLASSES),
                  st.sampled_from(['pass', 'raise', 'return'])),
        st.tuples(st.just('finally'), body),
        st.tuples(st.just('timeout'), timeouts,
                  st.lists(st.one_of(statements(me, n, depth - 1),
                                     st.tuples(st.just('reschedule'), timeouts)),
                           min_size=1, max_size=3),
                  st.booleans()),
        st.tuples(st.just('taskgroup'), st.lists(leaves(), min_size=0, max_size=3), body,
                  st.booleans()),
        st.tuples(st.just('lock'), body),
        st.tuples(st.just('sem'), body),
    ]
    return st.one_of(*simple, *compound)


@st.composite
def program_specs(draw, max_workers=4, max_ops=5):
    n = draw(st.integers(min_value=0, max_value=max_workers))
    workers = [draw(st.lists(statements(i, n, 1), min_size=0, max_size=max_ops))
               for i in range(n)]
    main = draw(st.lists(statements(-1, n, 1), min_size=0, max_size=max_ops))
    qmax = draw(st.integers(min_value=0, max_value=2))
    semcls = draw(st.sampled_from(['Semaphore', 'BoundedSemaphore']))
    semval = draw(st.integers(min_value=1, max_value=2))
    return {'workers': workers, 'main': main, 'qmax': qmax, 'semcls': semcls, 'semval': semval}


def programs(**kw):
    """Program text (a str), drawn at random."""
    return program_specs(**kw).map(render)


# -- rendering ---------------------------------------------------------------------------------

class _Renderer:
    def __init__(self):
        self.ops = 0      # op numbers, unique in the program
        self.leaves = 0   # leaf names a0, a1, ...
        self.cms = []     # names of the enclosing timeout() context managers

    def op(self):
        self.ops += 1
        return f'op{self.ops}'

    def leaf(self, spec, quiet=False):
        _, d, outcome = spec
        name = f'a{self.leaves}'
        self.leaves += 1
        q = ', quiet=True' if quiet else ''
        return name, f'leaf({name!r}, {d}, {outcome!r}{q})'

    def item(self, spec):
        kind = spec[0]
        if kind == 'task':
            return f"T['w{spec[1]}']"
        if kind == 'leaf':
            return self.leaf(spec)[1]
        if kind == 'wait_for':
            return f'asyncio.wait_for({self.item(spec[1])}, {self.delay(spec[2])})'
        if kind == 'shield':
            return f'asyncio.shield({self.item(spec[1])})'
        if kind == 'gather':
            args = ''.join(self.item(s) + ', ' for s in spec[1])
            return f'asyncio.gather({args}return_exceptions={spec[2]})'
        if kind == 'sleep_result':
            return f"asyncio.sleep({spec[1]} * U, 'slept{spec[1]}')"
        if kind == 'q_get':
            return 'q.get()'
        if kind == 'q_put':
            return f'q.put({spec[1]})'
        if kind == 'ev_wait':
            return 'ev.wait()'
        if kind == 'q_join':
            return 'q.join()'
        raise ValueError(spec)

    @staticmethod
    def delay(d):
        return 'None' if d is None else f'{d} * U'

    def block(self, specs, ind):
        lines = []
        for s in specs:
            lines += self.stmt(s, ind)
        return lines or [ind + 'pass']

    def guarded(self, ind, body, policy, label):
        """``body`` (lines at ind+4 when wrapped) under an await policy."""
        if policy == 'prop':
            return [ind + line for line in body]
        catch = '(Exception, asyncio.CancelledError)' if policy == 'catch' else 'Exception'
        return ([ind + 'try:'] + [ind + '    ' + line for line in body] +
                [ind + f'except {catch} as e:',
                 ind + f'    print(N, {label + " raised"!r}, fmt(e))'])

    def stmt(self, s, ind):
        kind = s[0]
        k = self.op()
        if kind == 'sleep':
            return [ind + f'await asyncio.sleep({s[1]} * U)', ind + f'print(N, {k!r}, "slept {s[1]}")']
        if kind == 'yield':
            return [ind + 'await asyncio.sleep(0)']
        if kind == 'raise':
            return [ind + f'print(N, {k!r}, "raise {s[1]}")', ind + f'raise {s[1]}({k!r})']
        if kind == 'return':
            return [ind + f'print(N, {k!r}, "return")', ind + f'return {k!r}']
        if kind == 'cancel':
            _, target, msg = s
            arg = '' if msg is None else repr(msg)
            return [ind + f"print(N, {k!r}, 'cancel {target}', T[{target!r}].cancel({arg}))"]
        if kind == 'await':
            _, expr, policy = s
            body = [f'r = await {self.item(expr)}', f'print(N, {k + " ->"!r}, fmt(r))']
            return self.guarded(ind, body, policy, k)
        if kind == 'spawn':
            name, call = self.leaf(s[1])
            return [ind + f'spawn({name!r}, {call})']
        if kind == 'wait':
            _, its, rw, timeout, policy = s
            parts = []
            for it in its:
                if it[0] == 'leaf':
                    name, call = self.leaf(it)
                    parts.append(f'spawn({name!r}, {call})')
                else:
                    parts.append(self.item(it))
            to = '' if timeout is None else f', timeout={timeout} * U'
            body = [f'done, pending = await asyncio.wait([{", ".join(parts)}], '
                    f'return_when=asyncio.{rw}{to})',
                    f'print(N, {k + " wait"!r}, names(done), names(pending))']
            return self.guarded(ind, body, policy, k)
        if kind == 'cancelling':
            lines = [ind + f'print(N, {k!r}, "cancelling", asyncio.current_task().cancelling())']
            if s[1]:
                lines.append(ind + f'print(N, {k!r}, "uncancel", asyncio.current_task().uncancel())')
            return lines
        if kind == 'ev_set':
            return [ind + 'ev.set()', ind + f'print(N, {k!r}, "ev set")']
        if kind == 'ev_clear':
            return [ind + 'ev.clear()', ind + f'print(N, {k!r}, "ev clear")']
        if kind == 'put_nowait':
            return [ind + 'try:', ind + f'    q.put_nowait({s[1]})',
                    ind + f'    print(N, {k!r}, "put_nowait {s[1]}", q.qsize())',
                    ind + 'except asyncio.QueueFull:', ind + f'    print(N, {k!r}, "full")']
        if kind == 'task_done':
            return [ind + 'try:', ind + '    q.task_done()', ind + f'    print(N, {k!r}, "task_done")',
                    ind + 'except ValueError as e:', ind + f'    print(N, {k!r}, fmt(e))']
        if kind == 'reschedule':
            cm = self.cms[-1]
            when = 'None' if s[1] is None else f'asyncio.get_running_loop().time() + {s[1]} * U'
            return [ind + f'{cm}.reschedule({when})',
                    ind + f'print(N, {k!r}, "reschedule {s[1]}", {cm}.expired())']
        if kind == 'get_nowait':
            return [ind + 'try:', ind + f'    print(N, {k!r}, "get_nowait", q.get_nowait())',
                    ind + 'except asyncio.QueueEmpty:', ind + f'    print(N, {k!r}, "empty")']
        if kind == 'try':
            _, body, cls, action = s
            lines = [ind + 'try:'] + self.block(body, ind + '    ')
            lines += [ind + f'except {cls} as e:',
                      ind + f'    print(N, {k!r}, "caught", fmt(e))']
            if action == 'raise':
                lines.append(ind + '    raise')
            elif action == 'return':
                lines.append(ind + f'    return {k!r}')
            return lines
        if kind == 'finally':
            return ([ind + 'try:'] + self.block(s[1], ind + '    ') +
                    [ind + 'finally:', ind + f'    print(N, {k!r}, "finally")'])
        if kind == 'timeout':
            _, d, body, catch = s
            cm = f'cm{k[2:]}'
            self.cms.append(cm)
            inner = ([f'async with asyncio.timeout({self.delay(d)}) as {cm}:'] +
                     [line[len(ind):] for line in self.block(body, ind + '    ')] +
                     [f'print(N, {k!r}, "timeout block done, expired:", {cm}.expired())'])
            self.cms.pop()
            if not catch:
                return [ind + line for line in inner]
            return ([ind + 'try:'] + [ind + '    ' + line for line in inner] +
                    [ind + 'except TimeoutError as e:',
                     ind + f'    print(N, {k!r}, "timed out", fmt(e), {cm}.expired())'])
        if kind == 'taskgroup':
            _, kids, body, catch = s
            inner = ['async with asyncio.TaskGroup() as tg:']
            for kid in kids:
                name, call = self.leaf(kid, quiet=True)
                inner.append(f'    T[{name!r}] = tg.create_task({call}, name={name!r})')
            inner += [line[len(ind):] for line in self.block(body, ind + '    ')]
            inner.append(f'print(N, {k!r}, "taskgroup done")')
            if not catch:
                return [ind + line for line in inner]
            return ([ind + 'try:'] + [ind + '    ' + line for line in inner] +
                    [ind + 'except (Exception, asyncio.CancelledError) as e:',
                     ind + f'    print(N, {k!r}, "taskgroup raised", fmt(e))'])
        if kind in ('lock', 'sem'):
            obj = 'lock' if kind == 'lock' else 'sem'
            return ([ind + f'async with {obj}:', ind + f'    print(N, {k!r}, "{obj} acquired")'] +
                    self.block(s[1], ind + '    ') +
                    [ind + f'    print(N, {k!r}, "{obj} release")'])
        raise ValueError(s)


def render(spec):
    r = _Renderer()
    out = [PRELUDE]
    n = len(spec['workers'])
    for i, body in enumerate(spec['workers']):
        out.append(f'\nasync def w{i}():')
        out.append(f"    N = 'w{i}'")
        out.append('    print(N, "start")')
        out += r.block(body, '    ')
        out.append('    print(N, "end")')
        out.append('    return N')
        out.append('')
    out.append(MAIN_HEAD.format(qmax=spec['qmax'], semcls=spec['semcls'],
                                semval=spec['semval']).rstrip('\n'))
    out.append("    N = 'main'")
    for i in range(n):
        out.append(f"    spawn('w{i}', w{i}())")
    out.append('    try:')
    out += r.block(spec['main'], '        ')
    out.append('    finally:')
    out.append('        await finish()')
    out.append("    print(N, 'end')")
    out.append(MAIN_TAIL.rstrip('\n'))
    return '\n'.join(out) + '\n'
