"""Subprocesses (chapter 09) on asyncio and on minloop: the same test must pass on both.

Run on asyncio, a test shows it is right about asyncio; run on minloop, that minloop behaves
the same. The minloop-only tests check what asyncio does differently inside (a pidfd instead
of a watcher thread), virtual time, and what a closed loop leaves behind.
"""

import asyncio
import logging
import os
import signal
import sys

import pytest

import minloop

BACKENDS = ["asyncio", "minloop"]
MODULES = {"asyncio": asyncio, "minloop": minloop}
PY = sys.executable
PIPE = asyncio.subprocess.PIPE


def run(backend, main, **kwargs):
    aio = MODULES[backend]
    return aio.run(main(aio), **kwargs)


def open_fds():
    return len(os.listdir("/proc/self/fd"))


def children():
    """{pid: state} of this process's children, from /proc (state "Z": a zombie)."""
    found = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        state, ppid = stat[stat.rindex(")") + 2:].split()[:2]
        if int(ppid) == os.getpid():
            found[int(name)] = state
    return found


def assert_no_zombie():
    """Every child this test started has been reaped. (A process pool's forkserver, which
    another test may have started, is a live child: then waitpid(-1) cannot tell.)"""
    kids = children()
    assert "Z" not in kids.values(), f"zombies: {kids}"
    if not kids:
        with pytest.raises(ChildProcessError):
            os.waitpid(-1, os.WNOHANG)


@pytest.fixture
def no_fd_leak():
    before = open_fds()
    yield
    assert open_fds() == before, f"{open_fds() - before} file descriptors leaked"


# ---------------------------------------------------------------- communicate


@pytest.mark.timeout(30)
@pytest.mark.parametrize("backend", BACKENDS)
def test_communicate_megabytes_both_ways_does_not_deadlock(backend, no_fd_leak):
    # The child echoes stdin to stdout and writes to stderr while it reads: if the parent
    # wrote all of stdin before reading, both sides would block on full pipes.
    child = ("import sys\n"
             "while chunk := sys.stdin.buffer.read1(65536):\n"
             "    sys.stdout.buffer.write(chunk)\n"
             "    sys.stderr.buffer.write(chunk[::-1])\n")
    data = os.urandom(4 * 1024 * 1024)

    async def main(aio):
        proc = await aio.create_subprocess_exec(PY, "-c", child, stdin=PIPE, stdout=PIPE,
                                                stderr=PIPE)
        out, err = await aio.wait_for(proc.communicate(data), 20)
        return out, err, proc.returncode

    out, err, code = run(backend, main)
    assert out == data
    assert len(err) == len(data)
    assert code == 0
    assert_no_zombie()


@pytest.mark.timeout(20)
@pytest.mark.parametrize("backend", BACKENDS)
def test_communicate_with_a_child_that_never_reads_stdin(backend, no_fd_leak):
    # The child exits without reading 2 MB of input: communicate() swallows the broken
    # pipe and returns the output.
    async def main(aio):
        proc = await aio.create_subprocess_exec(PY, "-c", "print('bye')", stdin=PIPE,
                                                stdout=PIPE)
        out, err = await aio.wait_for(proc.communicate(b"x" * 2_000_000), 10)
        return out, err, proc.returncode

    assert run(backend, main) == (b"bye\n", None, 0)
    assert_no_zombie()


@pytest.mark.timeout(20)
@pytest.mark.parametrize("backend", BACKENDS)
def test_drain_blocks_on_a_child_that_never_reads_then_kill_breaks_the_pipe(backend,
                                                                            no_fd_leak):
    async def main(aio):
        proc = await aio.create_subprocess_exec(PY, "-c", "import time; time.sleep(60)",
                                                stdin=PIPE)
        proc.stdin.write(b"y" * 1_000_000)
        drain = aio.ensure_future(proc.stdin.drain())
        await aio.sleep(0.1)
        blocked = not drain.done()
        proc.kill()
        code = await proc.wait()
        errors = []
        for aw in (drain, proc.stdin.wait_closed(), proc.stdin.drain()):
            try:
                await aw
            except OSError as exc:
                errors.append((type(exc).__name__, str(exc)))
        return blocked, code, errors

    blocked, code, errors = run(backend, main)
    assert blocked, "drain() returned although the child never read"
    assert code == -signal.SIGKILL
    assert errors == [("BrokenPipeError", ""), ("BrokenPipeError", ""),
                      ("ConnectionResetError", "Connection lost")]
    assert_no_zombie()


@pytest.mark.timeout(20)
@pytest.mark.parametrize("backend", BACKENDS)
def test_reading_stdout_before_writing_a_big_stdin_deadlocks(backend):
    # What communicate() avoids: the child blocks writing stdout (nobody reads it), so it
    # stops reading stdin, so our drain() never returns. Bounded by wait_for.
    child = ("import sys\n"
             "while chunk := sys.stdin.buffer.read1(65536):\n"
             "    sys.stdout.buffer.write(chunk)\n")

    async def main(aio):
        proc = await aio.create_subprocess_exec(PY, "-c", child, stdin=PIPE, stdout=PIPE)
        proc.stdin.write(b"z" * 4_000_000)
        try:
            await aio.wait_for(proc.stdin.drain(), 0.5)
            stuck = False
        except aio.TimeoutError:
            stuck = True
        proc.kill()
        await proc.communicate()
        return stuck

    assert run(backend, main) is True


# ---------------------------------------------------------------- wait and returncode


@pytest.mark.timeout(20)
@pytest.mark.parametrize("backend", BACKENDS)
def test_wait_after_the_child_exited(backend):
    async def main(aio):
        proc = await aio.create_subprocess_exec(PY, "-c", "import sys; sys.exit(4)")
        await aio.sleep(0.3)
        first = proc.returncode          # the loop may or may not have reaped it yet
        return first, await proc.wait(), await proc.wait(), proc.returncode

    first, a, b, c = run(backend, main)
    assert first in (None, 4)
    assert (a, b, c) == (4, 4, 4)
    assert_no_zombie()


@pytest.mark.timeout(20)
@pytest.mark.parametrize("backend", BACKENDS)
def test_returncode_is_none_until_the_loop_reaps_the_child(backend):
    async def main(aio):
        proc = await aio.create_subprocess_exec(PY, "-c", "import sys; sys.stdin.read()",
                                                stdin=PIPE)
        before = proc.returncode
        proc.stdin.close()
        return before, await proc.wait(), proc.returncode

    assert run(backend, main) == (None, 0, 0)


@pytest.mark.timeout(30)
@pytest.mark.parametrize("backend", BACKENDS)
def test_many_short_subprocesses_leave_no_zombie_and_no_fd(backend, no_fd_leak):
    # A thousand children, 50 at a time, each with a stdout pipe.
    n = 1000

    async def main(aio):
        sem = aio.Semaphore(50)

        async def one(i):
            async with sem:
                proc = await aio.create_subprocess_exec("/bin/echo", str(i), stdout=PIPE)
                out, _ = await proc.communicate()
                return int(out), proc.returncode

        return await aio.gather(*(one(i) for i in range(n)))

    assert run(backend, main) == [(i, 0) for i in range(n)]
    assert_no_zombie()


@pytest.mark.timeout(20)
@pytest.mark.parametrize("backend", BACKENDS)
def test_forgetting_wait_leaves_returncode_none_while_running(backend):
    # Reading stdout to EOF is not waiting: the child closed its stdout but still runs.
    async def main(aio):
        proc = await aio.create_subprocess_exec(
            PY, "-c", "import os, time; os.close(1); time.sleep(0.3)", stdout=PIPE)
        data = await proc.stdout.read()
        code = proc.returncode
        return data, code, await proc.wait()

    assert run(backend, main) == (b"", None, 0)


# ---------------------------------------------------------------- the protocol level


@pytest.mark.timeout(20)
@pytest.mark.parametrize("backend", BACKENDS)
def test_subprocess_protocol_callbacks_first_and_last(backend):
    async def main(aio):
        loop = aio.get_running_loop()
        done = loop.create_future()
        events = []

        class Proto(aio.SubprocessProtocol):
            def connection_made(self, transport):
                events.append("made")

            def pipe_data_received(self, fd, data):
                events.append(("data", fd))

            def pipe_connection_lost(self, fd, exc):
                events.append(("pipe_lost", fd, exc))

            def process_exited(self):
                events.append("exited")

            def connection_lost(self, exc):
                events.append(("lost", exc))
                done.set_result(None)

        transport, _ = await loop.subprocess_shell(Proto, "printf a; printf b >&2")
        await done
        transport.close()
        return events

    events = run(backend, main)
    assert events[0] == "made"
    assert events[-1] == ("lost", None)
    assert set(events[1:-1]) >= {("pipe_lost", 0, None), ("pipe_lost", 1, None),
                                 ("pipe_lost", 2, None), "exited", ("data", 1), ("data", 2)}
    # data on a pipe always comes before that pipe's loss
    assert events.index(("data", 1)) < events.index(("pipe_lost", 1, None))


@pytest.mark.timeout(20)
@pytest.mark.parametrize("backend", BACKENDS)
def test_debug_mode_logs_the_child(backend, caplog):
    async def main(aio):
        proc = await aio.create_subprocess_exec(PY, "-c", "pass", stdout=PIPE)
        await proc.communicate()

    with caplog.at_level(logging.DEBUG, logger="asyncio"):
        run(backend, main, debug=True)
    text = caplog.text
    assert "execute program" in text and "stdout=<pipe>" in text
    assert "exited with return code 0" in text


# ---------------------------------------------------------------- minloop only


@pytest.mark.timeout(20)
def test_minloop_watches_a_child_with_a_pidfd_not_a_thread(no_fd_leak):
    import threading

    async def main():
        loop = minloop.get_running_loop()
        threads = threading.active_count()
        proc = await minloop.create_subprocess_exec(PY, "-c", "import sys; sys.stdin.read()",
                                                    stdin=PIPE)
        pids = list(loop._child_pidfds)
        (pidfd, transport), = loop._child_pidfds.values()
        watched = loop._selector.get_key(pidfd).data[0]._callback.__name__
        proc.stdin.close()
        code = await proc.wait()
        return threads, threading.active_count(), pids == [proc.pid], watched, code, \
            dict(loop._child_pidfds)

    before, during, keyed_by_pid, watched, code, left = minloop.run(main())
    assert during == before, "a thread was started to wait for the child"
    assert keyed_by_pid and watched == "_do_waitpid"
    assert code == 0 and left == {}
    assert_no_zombie()


@pytest.mark.timeout(20)
def test_minloop_subprocess_on_a_virtual_clock():
    # Pipes and the pidfd are the program's own fds: a VirtualClock loop really waits for
    # them, and still jumps over sleeps.
    async def main():
        loop = minloop.get_running_loop()
        t0 = loop.time()
        proc = await minloop.create_subprocess_exec(PY, "-c", "print(6 * 7)", stdout=PIPE)
        out, _ = await proc.communicate()
        await minloop.sleep(3600)
        return out, round(loop.time() - t0)

    assert minloop.run(main(), clock=minloop.VirtualClock()) == (b"42\n", 3600)


@pytest.mark.timeout(20)
def test_minloop_closing_the_loop_with_a_running_child(no_fd_leak, recwarn):
    loop = minloop.new_event_loop()

    async def start():
        return await minloop.create_subprocess_exec(PY, "-c", "import time; time.sleep(60)")

    proc = loop.run_until_complete(start())
    pid = proc.pid
    proc._transport.close()       # kills it
    loop.close()
    assert loop._child_pidfds == {}
    _, status = os.waitpid(pid, 0)   # killed, and left for Popen or us to reap
    assert os.waitstatus_to_exitcode(status) == -signal.SIGKILL


@pytest.mark.timeout(20)
def test_minloop_close_of_a_finished_child_reaped_by_poll():
    # transport.close() calls Popen.poll(), which may reap the child before the loop's
    # pidfd callback: the loop then takes the code Popen saw instead of 255.
    async def main():
        loop = minloop.get_running_loop()
        transport, _ = await loop.subprocess_exec(minloop.SubprocessProtocol, PY, "-c",
                                                  "import sys; sys.exit(9)",
                                                  stdin=None, stdout=None, stderr=None)
        transport._proc.wait()   # exited and reaped behind the loop's back, by Popen
        transport.close()
        return await transport._wait()

    assert minloop.run(main()) == 9
    assert_no_zombie()


def test_loop_class_names():
    loop = minloop.new_event_loop()
    try:
        assert type(loop).__name__ == "_UnixSelectorEventLoop"
        assert minloop.SelectorEventLoop is type(loop)
        assert isinstance(loop, minloop.BaseSelectorEventLoop)
        assert repr(loop) == "<_UnixSelectorEventLoop running=False closed=False debug=False>"
    finally:
        loop.close()
    aloop = asyncio.new_event_loop()
    try:
        assert repr(aloop) == "<_UnixSelectorEventLoop running=False closed=False debug=False>"
    finally:
        aloop.close()
