"""Streams: read and write a connection with ``await`` (CPython's asyncio/streams.py).

1. Three small classes turn a transport's callbacks into coroutines. StreamReaderProtocol is
   the protocol: it feeds the bytes of data_received() into a StreamReader. StreamReader
   keeps a buffer and one waiter Future: ``await reader.read()`` waits on the Future when
   the buffer is empty, and feed_data() sets it. StreamWriter wraps the transport and adds
   drain(), which waits while the transport has told the protocol to pause writing.
2. Backpressure both ways. Reading: once the reader's buffer holds more than twice its
   ``limit``, it pauses the transport's reading, and resumes when a read brings it back to
   ``limit``. Writing: the transport calls pause_writing() above its high-water mark, and
   drain() then waits on a Future that resume_writing() (or connection_lost) completes.
3. Errors: a lost connection reaches the reader as set_exception(exc) (reads raise it)
   or as EOF (reads return b"", readexactly raises IncompleteReadError); drain() after
   the loss raises the error, or ConnectionResetError('Connection lost').
   IncompleteReadError and LimitOverrunError are asyncio's own classes, re-exported, so
   ``except asyncio.IncompleteReadError`` catches minloop's.
4. What CPython does more: start_tls on a StreamWriter, debug-mode source tracebacks, and
   the "open stream was garbage collected" error of a protocol whose reader vanished (3.11
   never sets the flag that raises it). Debug mode logs "pauses writing"/"resumes
   writing", as CPython's does.
"""

import collections
import logging
import socket
import warnings
import weakref
from asyncio.exceptions import IncompleteReadError, LimitOverrunError

from . import events, protocols
from .tasks import iscoroutine, sleep

__all__ = ("StreamReader", "StreamWriter", "StreamReaderProtocol",
           "open_connection", "start_server", "IncompleteReadError", "LimitOverrunError")

if hasattr(socket, "AF_UNIX"):
    __all__ += ("open_unix_connection", "start_unix_server")

_DEFAULT_LIMIT = 2 ** 16   # 64 KiB

logger = logging.getLogger("asyncio")


# ---------------------------------------------------------------- the entry points

async def open_connection(host=None, port=None, *, limit=_DEFAULT_LIMIT, **kwds):
    """Connect to ``host``:``port``; return ``(reader, writer)``.

    It is create_connection() with a StreamReaderProtocol as the protocol; the other
    keyword arguments are create_connection()'s."""
    loop = events.get_running_loop()
    reader = StreamReader(limit=limit, loop=loop)
    protocol = StreamReaderProtocol(reader, loop=loop)
    transport, _ = await loop.create_connection(lambda: protocol, host, port, **kwds)
    writer = StreamWriter(transport, protocol, reader, loop)
    return reader, writer


async def start_server(client_connected_cb, host=None, port=None, *, limit=_DEFAULT_LIMIT,
                       **kwds):
    """Listen on ``host``:``port``; for each connection call ``client_connected_cb(reader,
    writer)`` (a coroutine function's coroutine becomes a Task). Returns the Server."""
    loop = events.get_running_loop()

    def factory():
        reader = StreamReader(limit=limit, loop=loop)
        return StreamReaderProtocol(reader, client_connected_cb, loop=loop)

    return await loop.create_server(factory, host, port, **kwds)


if hasattr(socket, "AF_UNIX"):

    async def open_unix_connection(path=None, *, limit=_DEFAULT_LIMIT, **kwds):
        """open_connection over a Unix domain socket."""
        loop = events.get_running_loop()
        reader = StreamReader(limit=limit, loop=loop)
        protocol = StreamReaderProtocol(reader, loop=loop)
        transport, _ = await loop.create_unix_connection(lambda: protocol, path, **kwds)
        writer = StreamWriter(transport, protocol, reader, loop)
        return reader, writer

    async def start_unix_server(client_connected_cb, path=None, *, limit=_DEFAULT_LIMIT,
                                **kwds):
        """start_server on a Unix domain socket."""
        loop = events.get_running_loop()

        def factory():
            reader = StreamReader(limit=limit, loop=loop)
            return StreamReaderProtocol(reader, client_connected_cb, loop=loop)

        return await loop.create_unix_server(factory, path, **kwds)


# ---------------------------------------------------------------- the protocol

class FlowControlMixin(protocols.Protocol):
    """The protocol half of write backpressure: pause_writing/resume_writing flip a flag,
    and ``_drain_helper()`` (what StreamWriter.drain() awaits) waits while it is set."""

    def __init__(self, loop=None):
        self._loop = events.get_event_loop() if loop is None else loop
        self._paused = False
        self._drain_waiters = collections.deque()
        self._connection_lost = False

    def pause_writing(self):
        assert not self._paused
        self._paused = True
        if self._loop.get_debug():
            logger.debug("%r pauses writing", self)

    def resume_writing(self):
        assert self._paused
        self._paused = False
        if self._loop.get_debug():
            logger.debug("%r resumes writing", self)
        for waiter in self._drain_waiters:
            if not waiter.done():
                waiter.set_result(None)

    def connection_lost(self, exc):
        self._connection_lost = True
        if not self._paused:
            return      # nobody can be waiting in drain()
        for waiter in self._drain_waiters:
            if not waiter.done():
                if exc is None:
                    waiter.set_result(None)
                else:
                    waiter.set_exception(exc)

    async def _drain_helper(self):
        if self._connection_lost:
            raise ConnectionResetError("Connection lost")
        if not self._paused:
            return
        waiter = self._loop.create_future()
        self._drain_waiters.append(waiter)
        try:
            await waiter
        finally:
            self._drain_waiters.remove(waiter)

    def _get_close_waiter(self, stream):
        raise NotImplementedError


class StreamReaderProtocol(FlowControlMixin, protocols.Protocol):
    """The protocol behind a stream pair: bytes and EOF into the StreamReader, and, on a
    server, a StreamWriter made and client_connected_cb called in connection_made."""

    def __init__(self, stream_reader, client_connected_cb=None, loop=None):
        super().__init__(loop=loop)
        # Only a weak reference: if the program drops its reader, the protocol must not
        # keep it (and its buffer) alive.
        if stream_reader is not None:
            self._stream_reader_wr = weakref.ref(stream_reader)
        else:
            self._stream_reader_wr = None
        if client_connected_cb is not None:
            # A server's stream: nobody else holds the reader until the callback gets it.
            self._strong_reader = stream_reader
        self._stream_writer = None
        self._task = None
        self._transport = None
        self._client_connected_cb = client_connected_cb
        self._closed = self._loop.create_future()    # what wait_closed() awaits

    @property
    def _stream_reader(self):
        if self._stream_reader_wr is None:
            return None
        return self._stream_reader_wr()

    def connection_made(self, transport):
        self._transport = transport
        reader = self._stream_reader
        if reader is not None:
            reader.set_transport(transport)
        if self._client_connected_cb is not None:
            self._stream_writer = StreamWriter(transport, self, reader, self._loop)
            res = self._client_connected_cb(reader, self._stream_writer)
            if iscoroutine(res):
                def callback(task):
                    exc = task.exception()
                    if exc is not None:
                        self._loop.call_exception_handler({
                            "message": "Unhandled exception in client_connected_cb",
                            "exception": exc,
                            "transport": transport,
                        })
                        transport.close()

                self._task = self._loop.create_task(res)
                self._task.add_done_callback(callback)
            self._strong_reader = None

    def connection_lost(self, exc):
        reader = self._stream_reader
        if reader is not None:
            if exc is None:
                reader.feed_eof()
            else:
                reader.set_exception(exc)
        if not self._closed.done():
            if exc is None:
                self._closed.set_result(None)
            else:
                self._closed.set_exception(exc)
        super().connection_lost(exc)
        self._stream_reader_wr = None
        self._stream_writer = None
        self._task = None
        self._transport = None

    def data_received(self, data):
        reader = self._stream_reader
        if reader is not None:
            reader.feed_data(data)

    def eof_received(self):
        reader = self._stream_reader
        if reader is not None:
            reader.feed_eof()
        return True     # keep the transport open: we may still write (half-close)

    def _get_close_waiter(self, stream):
        return self._closed

    def __del__(self):
        # Mark a connection error in _closed as retrieved: nobody has to wait_closed().
        try:
            closed = self._closed
        except AttributeError:
            pass    # __init__ failed
        else:
            if closed.done() and not closed.cancelled():
                closed.exception()


# ---------------------------------------------------------------- the writer

class StreamWriter:
    """The writing half: a thin wrapper of the transport, plus drain() and wait_closed()."""

    def __init__(self, transport, protocol, reader, loop):
        self._transport = transport
        self._protocol = protocol
        assert reader is None or isinstance(reader, StreamReader)
        self._reader = reader
        self._loop = loop
        self._complete_fut = self._loop.create_future()
        self._complete_fut.set_result(None)

    def __repr__(self):
        info = [self.__class__.__name__, f"transport={self._transport!r}"]
        if self._reader is not None:
            info.append(f"reader={self._reader!r}")
        return "<{}>".format(" ".join(info))

    @property
    def transport(self):
        return self._transport

    def write(self, data):
        self._transport.write(data)

    def writelines(self, data):
        self._transport.writelines(data)

    def write_eof(self):
        return self._transport.write_eof()

    def can_write_eof(self):
        return self._transport.can_write_eof()

    def close(self):
        return self._transport.close()

    def is_closing(self):
        return self._transport.is_closing()

    async def wait_closed(self):
        """Wait until connection_lost(); raise its exception if it had one."""
        await self._protocol._get_close_waiter(self)

    def get_extra_info(self, name, default=None):
        return self._transport.get_extra_info(name, default)

    async def drain(self):
        """Wait until it is fine to write again: at once, unless the transport paused
        writing (its buffer is above the high-water mark, the peer is not reading).

        Raises the reader's exception (a reset, say) if there is one, and
        ConnectionResetError('Connection lost') once the connection is gone."""
        if self._reader is not None:
            exc = self._reader.exception()
            if exc is not None:
                raise exc
        if self._transport.is_closing():
            # Let connection_lost() run first (it is scheduled with call_soon), so a
            # write-and-drain loop on a closed connection sees an error instead of
            # spinning forever.
            await sleep(0)
        await self._protocol._drain_helper()

    async def start_tls(self, sslcontext, *, server_hostname=None,
                        ssl_handshake_timeout=None):
        await self._loop.start_tls(self._transport, self._protocol, sslcontext)

    def __del__(self):
        if not self._transport.is_closing():
            if self._loop.is_closed():
                warnings.warn("loop is closed", ResourceWarning)
            else:
                self.close()
                warnings.warn(f"unclosed {self!r}", ResourceWarning)


# ---------------------------------------------------------------- the reader

class StreamReader:
    """A byte buffer filled by the protocol (feed_data, feed_eof, set_exception) and
    emptied by coroutines (read, readline, readexactly, readuntil).

    At most one coroutine may wait for data at a time (``_waiter``): with two, nobody
    could say which one gets the next bytes.
    """

    def __init__(self, limit=_DEFAULT_LIMIT, loop=None):
        # The limit bounds a line (readline/readuntil) and is half the buffer size at
        # which reading pauses.
        if limit <= 0:
            raise ValueError("Limit cannot be <= 0")
        self._limit = limit
        self._loop = events.get_event_loop() if loop is None else loop
        self._buffer = bytearray()
        self._eof = False         # feed_eof() was called
        self._waiter = None       # the Future a read is waiting on, if any
        self._exception = None
        self._transport = None
        self._paused = False      # we paused the transport's reading

    def __repr__(self):
        info = ["StreamReader"]
        if self._buffer:
            info.append(f"{len(self._buffer)} bytes")
        if self._eof:
            info.append("eof")
        if self._limit != _DEFAULT_LIMIT:
            info.append(f"limit={self._limit}")
        if self._waiter:
            info.append(f"waiter={self._waiter!r}")
        if self._exception:
            info.append(f"exception={self._exception!r}")
        if self._transport:
            info.append(f"transport={self._transport!r}")
        if self._paused:
            info.append("paused")
        return "<{}>".format(" ".join(info))

    # ------------------------------------------------------------ the protocol's side

    def exception(self):
        return self._exception

    def set_exception(self, exc):
        self._exception = exc
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.cancelled():
                waiter.set_exception(exc)

    def _wakeup_waiter(self):
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.cancelled():
                waiter.set_result(None)

    def set_transport(self, transport):
        assert self._transport is None, "Transport already set"
        self._transport = transport

    def _maybe_resume_transport(self):
        if self._paused and len(self._buffer) <= self._limit:
            self._paused = False
            self._transport.resume_reading()

    def feed_eof(self):
        self._eof = True
        self._wakeup_waiter()

    def at_eof(self):
        """True once feed_eof() was called and the buffer is empty."""
        return self._eof and not self._buffer

    def feed_data(self, data):
        assert not self._eof, "feed_data after feed_eof"
        if not data:
            return
        self._buffer.extend(data)
        self._wakeup_waiter()
        if (self._transport is not None and not self._paused and
                len(self._buffer) > 2 * self._limit):
            try:
                self._transport.pause_reading()
            except NotImplementedError:
                # A transport that cannot pause: buffer everything, stop asking.
                self._transport = None
            else:
                self._paused = True

    async def _wait_for_data(self, func_name):
        """Wait until feed_data(), feed_eof() or set_exception() is called."""
        if self._waiter is not None:
            raise RuntimeError(f"{func_name}() called while another coroutine is "
                               f"already waiting for incoming data")
        assert not self._eof, "_wait_for_data after EOF"
        # Waiting while paused would wait forever (readexactly(n) with n > 2 * limit).
        if self._paused:
            self._paused = False
            self._transport.resume_reading()
        self._waiter = self._loop.create_future()
        try:
            await self._waiter
        finally:
            self._waiter = None

    # ------------------------------------------------------------ the reading side

    async def readline(self):
        """Read up to and including b"\\n". At EOF, return what is left (maybe b"").
        A line longer than the limit raises ValueError (and is dropped from the buffer)."""
        sep = b"\n"
        seplen = len(sep)
        try:
            line = await self.readuntil(sep)
        except IncompleteReadError as e:
            return e.partial
        except LimitOverrunError as e:
            if self._buffer.startswith(sep, e.consumed):
                del self._buffer[:e.consumed + seplen]
            else:
                self._buffer.clear()
            self._maybe_resume_transport()
            raise ValueError(e.args[0])
        return line

    async def readuntil(self, separator=b"\n"):
        """Read up to and including ``separator``.

        EOF first: IncompleteReadError with what was read (the buffer is emptied).
        More than ``limit`` bytes before the separator: LimitOverrunError, and the data
        stays in the buffer to be read some other way."""
        seplen = len(separator)
        if seplen == 0:
            raise ValueError("Separator should be at least one-byte string")
        if self._exception is not None:
            raise self._exception
        # `offset`: how far from the start we know the separator is not. After a miss,
        # only the last seplen - 1 bytes could begin a separator cut in two by the network.
        offset = 0
        while True:
            buflen = len(self._buffer)
            if buflen - offset >= seplen:
                isep = self._buffer.find(separator, offset)
                if isep != -1:
                    break
                offset = buflen + 1 - seplen
                if offset > self._limit:
                    raise LimitOverrunError(
                        "Separator is not found, and chunk exceed the limit", offset)
            # Check EOF only after searching: the last bytes may complete the separator.
            if self._eof:
                chunk = bytes(self._buffer)
                self._buffer.clear()
                raise IncompleteReadError(chunk, None)
            await self._wait_for_data("readuntil")
        if isep > self._limit:
            raise LimitOverrunError("Separator is found, but chunk is longer than limit", isep)
        chunk = self._buffer[:isep + seplen]
        del self._buffer[:isep + seplen]
        self._maybe_resume_transport()
        return bytes(chunk)

    async def read(self, n=-1):
        """Read up to ``n`` bytes: as soon as at least one is there (b"" at EOF).
        ``n=-1`` reads until EOF."""
        if self._exception is not None:
            raise self._exception
        if n == 0:
            return b""
        if n < 0:
            # Read limit-sized blocks until EOF (one big wait could deadlock on a paused
            # transport).
            blocks = []
            while True:
                block = await self.read(self._limit)
                if not block:
                    break
                blocks.append(block)
            return b"".join(blocks)
        if not self._buffer and not self._eof:
            await self._wait_for_data("read")
        data = bytes(self._buffer[:n])
        del self._buffer[:n]
        self._maybe_resume_transport()
        return data

    async def readexactly(self, n):
        """Read exactly ``n`` bytes; EOF first raises IncompleteReadError(partial, n)."""
        if n < 0:
            raise ValueError("readexactly size can not be less than zero")
        if self._exception is not None:
            raise self._exception
        if n == 0:
            return b""
        while len(self._buffer) < n:
            if self._eof:
                incomplete = bytes(self._buffer)
                self._buffer.clear()
                raise IncompleteReadError(incomplete, n)
            await self._wait_for_data("readexactly")
        if len(self._buffer) == n:
            data = bytes(self._buffer)
            self._buffer.clear()
        else:
            data = bytes(self._buffer[:n])
            del self._buffer[:n]
        self._maybe_resume_transport()
        return data

    def __aiter__(self):
        return self

    async def __anext__(self):
        val = await self.readline()
        if val == b"":
            raise StopAsyncIteration
        return val
