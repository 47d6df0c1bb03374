"""Subprocesses as streams: create_subprocess_exec/shell and Process (chapter 09).

Simplifies CPython's asyncio/subprocess.py (same names, same behaviour):

1. ``SubprocessStreamProtocol`` is the SubprocessProtocol that turns a child's pipes into
   chapter 07's streams: stdout and stderr become StreamReaders (fed by
   ``pipe_data_received``, ended by ``pipe_connection_lost``), stdin a StreamWriter (so
   ``drain()`` gives backpressure when the child reads slowly).
2. ``Process`` is the user's handle: ``pid``, ``returncode`` (None until the loop has
   reaped the child), ``wait()``, ``communicate(input)``, ``send_signal``/``terminate``/
   ``kill``. ``communicate`` writes stdin and reads stdout and stderr *at the same time*
   (one gather): writing all of stdin first would deadlock with a child that fills its
   stdout pipe before reading on.
3. ``communicate`` ignores BrokenPipeError and ConnectionResetError on stdin (the child
   may exit without reading it all); a plain ``stdin.write``/``drain`` raises them.
4. Left out: nothing; the transport and the child watching are in base_subprocess.py and
   unix_events.py.
"""

import logging
import subprocess

from . import events, protocols, streams, tasks

__all__ = ("create_subprocess_exec", "create_subprocess_shell")

logger = logging.getLogger("asyncio")

PIPE = subprocess.PIPE
STDOUT = subprocess.STDOUT
DEVNULL = subprocess.DEVNULL


class SubprocessStreamProtocol(streams.FlowControlMixin, protocols.SubprocessProtocol):
    """Like StreamReaderProtocol, for the three pipes of a child process."""

    def __init__(self, limit, loop):
        super().__init__(loop=loop)
        self._limit = limit
        self.stdin = self.stdout = self.stderr = None
        self._transport = None
        self._process_exited = False
        self._pipe_fds = []                       # stdout/stderr fds still open
        self._stdin_closed = self._loop.create_future()

    def __repr__(self):
        info = [self.__class__.__name__]
        if self.stdin is not None:
            info.append(f"stdin={self.stdin!r}")
        if self.stdout is not None:
            info.append(f"stdout={self.stdout!r}")
        if self.stderr is not None:
            info.append(f"stderr={self.stderr!r}")
        return "<{}>".format(" ".join(info))

    def connection_made(self, transport):
        self._transport = transport
        stdout_transport = transport.get_pipe_transport(1)
        if stdout_transport is not None:
            self.stdout = streams.StreamReader(limit=self._limit, loop=self._loop)
            self.stdout.set_transport(stdout_transport)
            self._pipe_fds.append(1)
        stderr_transport = transport.get_pipe_transport(2)
        if stderr_transport is not None:
            self.stderr = streams.StreamReader(limit=self._limit, loop=self._loop)
            self.stderr.set_transport(stderr_transport)
            self._pipe_fds.append(2)
        stdin_transport = transport.get_pipe_transport(0)
        if stdin_transport is not None:
            self.stdin = streams.StreamWriter(stdin_transport, protocol=self, reader=None,
                                              loop=self._loop)

    def pipe_data_received(self, fd, data):
        reader = self.stdout if fd == 1 else self.stderr if fd == 2 else None
        if reader is not None:
            reader.feed_data(data)

    def pipe_connection_lost(self, fd, exc):
        if fd == 0:
            pipe = self.stdin
            if pipe is not None:
                pipe.close()
            self.connection_lost(exc)    # FlowControlMixin: wakes drain() waiters
            if exc is None:
                self._stdin_closed.set_result(None)
            else:
                self._stdin_closed.set_exception(exc)
                # Nobody has to await wait_closed(): don't log it as never retrieved.
                self._stdin_closed._log_traceback = False
            return
        reader = self.stdout if fd == 1 else self.stderr if fd == 2 else None
        if reader is not None:
            if exc is None:
                reader.feed_eof()
            else:
                reader.set_exception(exc)
        if fd in self._pipe_fds:
            self._pipe_fds.remove(fd)
        self._maybe_close_transport()

    def process_exited(self):
        self._process_exited = True
        self._maybe_close_transport()

    def _maybe_close_transport(self):
        if len(self._pipe_fds) == 0 and self._process_exited:
            self._transport.close()
            self._transport = None

    def _get_close_waiter(self, stream):
        if stream is self.stdin:
            return self._stdin_closed


class Process:
    """A running child process, with its stdin/stdout/stderr as streams (or None)."""

    def __init__(self, transport, protocol, loop):
        self._transport = transport
        self._protocol = protocol
        self._loop = loop
        self.stdin = protocol.stdin
        self.stdout = protocol.stdout
        self.stderr = protocol.stderr
        self.pid = transport.get_pid()

    def __repr__(self):
        return f"<{self.__class__.__name__} {self.pid}>"

    @property
    def returncode(self):
        return self._transport.get_returncode()

    async def wait(self):
        """Wait for the child to exit; return its exit code (-N: killed by signal N)."""
        return await self._transport._wait()

    def send_signal(self, signal):
        self._transport.send_signal(signal)

    def terminate(self):
        self._transport.terminate()

    def kill(self):
        self._transport.kill()

    async def _feed_stdin(self, input):
        debug = self._loop.get_debug()
        try:
            self.stdin.write(input)
            if debug:
                logger.debug("%r communicate: feed stdin (%s bytes)", self, len(input))
            await self.stdin.drain()
        except (BrokenPipeError, ConnectionResetError) as exc:
            # The child stopped reading: communicate() does not mind.
            if debug:
                logger.debug("%r communicate: stdin got %r", self, exc)
        if debug:
            logger.debug("%r communicate: close stdin", self)
        self.stdin.close()

    async def _noop(self):
        return None

    async def _read_stream(self, fd):
        transport = self._transport.get_pipe_transport(fd)
        stream = self.stderr if fd == 2 else self.stdout
        name = "stdout" if fd == 1 else "stderr"
        if self._loop.get_debug():
            logger.debug("%r communicate: read %s", self, name)
        output = await stream.read()
        if self._loop.get_debug():
            logger.debug("%r communicate: close %s", self, name)
        transport.close()
        return output

    async def communicate(self, input=None):
        """Send ``input`` to stdin (then close it), read stdout and stderr to EOF, all at
        once; wait for the exit. Returns ``(stdout_data, stderr_data)``."""
        stdin = self._feed_stdin(input) if input is not None else self._noop()
        stdout = self._read_stream(1) if self.stdout is not None else self._noop()
        stderr = self._read_stream(2) if self.stderr is not None else self._noop()
        stdin, stdout, stderr = await tasks.gather(stdin, stdout, stderr)
        await self.wait()
        return (stdout, stderr)


async def create_subprocess_shell(cmd, stdin=None, stdout=None, stderr=None,
                                  limit=streams._DEFAULT_LIMIT, **kwds):
    """Run ``cmd`` with /bin/sh; return a Process. Pass PIPE for the streams you want."""
    loop = events.get_running_loop()
    protocol_factory = lambda: SubprocessStreamProtocol(limit=limit, loop=loop)
    transport, protocol = await loop.subprocess_shell(
        protocol_factory, cmd, stdin=stdin, stdout=stdout, stderr=stderr, **kwds)
    return Process(transport, protocol, loop)


async def create_subprocess_exec(program, *args, stdin=None, stdout=None, stderr=None,
                                 limit=streams._DEFAULT_LIMIT, **kwds):
    """Run ``program`` with ``args`` (no shell); return a Process."""
    loop = events.get_running_loop()
    protocol_factory = lambda: SubprocessStreamProtocol(limit=limit, loop=loop)
    transport, protocol = await loop.subprocess_exec(
        protocol_factory, program, *args, stdin=stdin, stdout=stdout, stderr=stderr, **kwds)
    return Process(transport, protocol, loop)
