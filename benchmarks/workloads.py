"""The workloads, each written once against the asyncio API.

Every function takes a Backend (see backends.py), a fresh loop from it and a
size ``n``, and returns:

    call_soon, tasks, timers,   a Stopwatch that was running around the
    echo, throughput
                                workload only (the loop already exists;
                                interpreter start-up is not counted)
    memory                      bytes per idle task

Each function also checks afterwards that the loop did what was asked (every
callback ran, no cancelled timer fired, ...), outside the timed region, so a
fast but wrong loop cannot win.

The garbage collector stays enabled for every backend (unless run.py --gc off
turns it off for all of them); worker.py calls gc.collect() right before each
workload, so that all of them start from the same clean heap.
"""

import gc
import os
import random
import tracemalloc
from time import perf_counter, process_time

class Stopwatch:
    """Times the code in its ``with`` block two ways:

    ``wall``  elapsed real time, time.perf_counter(): the figure reported.
    ``cpu``   CPU time this process used, time.process_time().  On a busy
              machine other processes steal wall time but not CPU time; it
              leaves out the moments the loop sleeps waiting for a timer.
    """

    def __enter__(self):
        self._wall, self._cpu = perf_counter(), process_time()
        return self

    def __exit__(self, *exc_info):
        self.wall = perf_counter() - self._wall
        self.cpu = process_time() - self._cpu


# Full-scale sizes; run.py's --scale multiplies them.
SIZES = {
    "call_soon": 1_000_000,   # callbacks
    "tasks": 100_000,         # tasks, each awaiting sleep(0) AWAITS_PER_TASK times
    "timers": 100_000,        # call_later timers, half of them cancelled
    "memory": 100_000,        # idle tasks
    "echo": 10_000,           # round trips per client, ECHO_CLIENTS clients
    "throughput": 256,        # MiB sent over one connection
}
ECHO_CLIENTS = 10
ECHO_MESSAGE = 100            # bytes per round trip
THROUGHPUT_CHUNK = 64 * 1024  # bytes per write()
AWAITS_PER_TASK = 10
MAX_TIMER_DELAY = 0.01        # seconds; timer delays are uniform in [0, this)
TIMER_SEED = 20231126         # same delay sequence for every backend


def call_soon(backend, loop, n):
    """Schedule n callbacks up front with loop.call_soon, then run_forever.

    Each callback bumps a counter; the n-th one stops the loop.  Measures the
    cost of a Handle going into the ready queue and being run: the loop's
    innermost path.
    """
    count = 0

    def callback():
        nonlocal count
        count += 1
        if count == n:
            loop.stop()

    with Stopwatch() as watch:
        for _ in range(n):
            loop.call_soon(callback)
        loop.run_forever()

    assert count == n, f"{count} of {n} callbacks ran"
    return watch


def tasks(backend, loop, n):
    """Create n tasks (loop.create_task), each awaiting sleep(0) ten times.

    The backend's own sleep is used.  Completion is detected with one Future
    that the last task to finish resolves; the loop runs until it is done
    (run_until_complete).  gather is deliberately not used: it would add its
    own per-child bookkeeping to what we measure, and in asyncio it always
    creates a C-based Future even when we want pure-Python ones.

    Measures task creation, Task.__step, and the sleep(0) round trip through
    the ready queue.
    """
    sleep = backend.sleep
    remaining = n
    all_done = loop.create_future()

    async def worker():
        nonlocal remaining
        for _ in range(AWAITS_PER_TASK):
            await sleep(0)
        remaining -= 1
        if remaining == 0:
            all_done.set_result(None)

    with Stopwatch() as watch:
        task_list = [loop.create_task(worker()) for _ in range(n)]
        loop.run_until_complete(all_done)

    assert remaining == 0, f"{remaining} of {n} tasks unfinished"
    loop.run_until_complete(sleep(0))    # let the last task's step return
    assert all(t.done() for t in task_list)
    return watch


def timers(backend, loop, n):
    """Schedule n call_later timers with seeded random delays in [0, 10 ms),
    cancelling every second one right after scheduling it; run until the
    last live timer has fired.

    Measures TimerHandle creation, the timer heap (push, pop, and the purge
    of cancelled timers) and moving due timers to the ready queue.  The wall
    time includes waiting for the last timer to come due, at most 10 ms after
    it was scheduled; scheduling 100,000 timers takes longer than that, so
    the loop is rarely idle.
    """
    rng = random.Random(TIMER_SEED)
    delays = [rng.random() * MAX_TIMER_DELAY for _ in range(n)]
    live = (n + 1) // 2                  # even indices stay, odd ones are cancelled
    fired = 0
    wrongly_fired = 0

    def on_live_timer():
        nonlocal fired
        fired += 1
        if fired == live:
            loop.stop()

    def on_cancelled_timer():
        nonlocal wrongly_fired
        wrongly_fired += 1

    with Stopwatch() as watch:
        for i, delay in enumerate(delays):
            if i % 2 == 0:
                loop.call_later(delay, on_live_timer)
            else:
                loop.call_later(delay, on_cancelled_timer).cancel()
        loop.run_forever()

    assert fired == live, f"{fired} of {live} live timers fired"
    assert wrongly_fired == 0, f"{wrongly_fired} cancelled timers fired"
    return watch


def memory(backend, loop, n, measure="tracemalloc"):
    """Bytes per idle task: n tasks, each blocked on its own Future that is
    never completed (the shape of a server with n idle connections).

    The tasks are created and the loop runs until every one has reached its
    first await; then memory is compared with before.  Two ways to measure,
    each in its own process because tracemalloc's bookkeeping inflates RSS:

    ``tracemalloc``  bytes traced by tracemalloc.  Sees every allocation made
                     through Python's allocators, including objects that C
                     extensions (asyncio's C Task, uvloop) create with
                     PyObject_Malloc; misses raw malloc() inside C code.
    ``rss``          growth of the resident set size (/proc/self/statm).
                     Sees everything, but also allocator slack and arenas.

    Per idle task that includes the Task, its coroutine and frame, the Future
    it waits on with its callback entry, and the Task's entry in the loop's
    or library's registry of tasks.  Afterwards all tasks are cancelled and
    the loop is run until they have finished.
    """
    started = 0
    all_started = loop.create_future()

    async def idle():
        nonlocal started
        started += 1
        if started == n:
            all_started.set_result(None)
        await loop.create_future()       # never completed

    gc.collect()
    if measure == "tracemalloc":
        tracemalloc.start()
        current = lambda: tracemalloc.get_traced_memory()[0]  # noqa: E731
    elif measure == "rss":
        current = rss_bytes
    else:
        raise ValueError(f"unknown memory measure {measure!r}")

    before = current()
    task_list = [loop.create_task(idle()) for _ in range(n)]
    loop.run_until_complete(all_started)
    gc.collect()
    after = current()
    if measure == "tracemalloc":
        tracemalloc.stop()

    assert started == n and not any(t.done() for t in task_list)

    # Clean up: cancel everything and let the cancellations run.
    for t in task_list:
        t.cancel()
    loop.run_until_complete(backend.gather(*task_list, return_exceptions=True))
    assert all(t.cancelled() for t in task_list)
    return (after - before) / n


def echo(backend, loop, n):
    """ECHO_CLIENTS clients, each making n round trips of ECHO_MESSAGE bytes to an
    echo server on 127.0.0.1, all on the one loop, over the backend's own streams
    (open_connection / start_server): write, drain, readexactly on both sides.

    Measures the whole stack a small request/response costs: the selector,
    the reader callback, recv, data_received, StreamReader's waiter Future,
    the Task wake-up, readexactly, write and send.  Server and clients share
    the process, so CPU time counts both ends.
    """
    message = bytes(range(ECHO_MESSAGE))
    replies = [0] * ECHO_CLIENTS

    async def handle(reader, writer):
        try:
            while True:
                data = await reader.readexactly(ECHO_MESSAGE)
                writer.write(data)
                await writer.drain()
        except EOFError:
            pass        # IncompleteReadError (an EOFError): the client closed
        writer.close()

    async def client(port, i):
        reader, writer = await backend.open_connection("127.0.0.1", port)
        for _ in range(n):
            writer.write(message)
            await writer.drain()
            if await reader.readexactly(ECHO_MESSAGE) == message:
                replies[i] += 1
        writer.close()
        await writer.wait_closed()

    async def main():
        server = await backend.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        with Stopwatch() as watch:
            await backend.gather(*(client(port, i) for i in range(ECHO_CLIENTS)))
        server.close()
        await server.wait_closed()
        return watch

    watch = loop.run_until_complete(main())
    assert replies == [n] * ECHO_CLIENTS, f"round trips done: {replies}"
    return watch


def throughput(backend, loop, n):
    """One connection on 127.0.0.1 moving n MiB: the client writes
    THROUGHPUT_CHUNK-byte chunks with drain(), the server reads until EOF with
    read(); over the backend's own streams.

    Measures bulk transfer: large recv()s, the reader's buffer and its
    pause/resume of reading, the writer's buffer and drain() backpressure.
    run.py also reports the rate in MB/s (1 MB = 10**6 bytes).
    """
    total = n * 1024 * 1024
    chunk = b"\x5a" * THROUGHPUT_CHUNK
    received = 0
    done = loop.create_future()

    async def handle(reader, writer):
        nonlocal received
        while True:
            data = await reader.read(256 * 1024)
            if not data:
                break
            received += len(data)
        writer.close()
        done.set_result(None)

    async def main():
        server = await backend.start_server(handle, "127.0.0.1", 0)
        port = server.sockets[0].getsockname()[1]
        with Stopwatch() as watch:
            reader, writer = await backend.open_connection("127.0.0.1", port)
            for _ in range(total // THROUGHPUT_CHUNK):
                writer.write(chunk)
                await writer.drain()
            writer.write_eof()
            await done
        writer.close()
        await writer.wait_closed()
        server.close()
        await server.wait_closed()
        return watch

    watch = loop.run_until_complete(main())
    assert received == total, f"{received} of {total} bytes arrived"
    return watch


def rss_bytes():
    """Resident set size of this process, from /proc/self/statm (Linux)."""
    with open("/proc/self/statm") as f:
        resident_pages = int(f.read().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE")


WORKLOADS = {
    "call_soon": call_soon,
    "tasks": tasks,
    "timers": timers,
    "memory": memory,
    "echo": echo,
    "throughput": throughput,
}
