"""The Unix loop: signal handlers, pipes and child processes (chapter 09).

Simplifies CPython's asyncio/unix_events.py. ``_UnixSelectorEventLoop`` is the class
``new_event_loop()`` returns, exported as ``SelectorEventLoop``, as asyncio does on Unix.

1. Signals: ``add_signal_handler`` installs a do-nothing Python handler and points
   ``signal.set_wakeup_fd`` at the loop's self-pipe. When a signal arrives, the C-level
   handler writes the signal's number into the pipe; select() returns; ``_read_from_self``
   reads the byte and ``_process_self_data`` queues the handler's Handle. So the callback
   runs in the loop, between other callbacks, never inside an interrupted one.
2. Pipes: ``_UnixReadPipeTransport`` and ``_UnixWritePipeTransport`` are the socket
   transport of chapter 07 on a pipe (os.read/os.write on a non-blocking fd); the writer
   shares chapter 07's ``_FlowControlMixin``. A write pipe also watches its fd for
   *reading*: a pipe's write end becomes readable when the reader closes it.
3. Children: a ``subprocess.Popen`` wrapped in a transport (base_subprocess.py). The loop
   learns that a child exited the way CPython's ``PidfdChildWatcher`` does: ``os.pidfd_open``
   gives a file descriptor that becomes readable when the child exits; the loop watches it
   like any other fd, then reaps the child with ``os.waitpid``. No thread, no SIGCHLD, no
   zombie. Where a kernel has no pidfd (before Linux 5.3, macOS), minloop raises
   NotImplementedError; CPython would fall back to a thread per child.
4. Left out on purpose: the child watcher classes (AbstractChildWatcher, SafeChildWatcher,
   FastChildWatcher, MultiLoopChildWatcher, ThreadedChildWatcher, PidfdChildWatcher as a
   public class) and get/set_child_watcher. Deprecated in 3.12, removed in 3.14: the loop
   watches its own children; ``DefaultEventLoopPolicy`` is CPython's without them. Also left
   out: sendfile, AIX's socketpair for stdin.
"""

import errno
import logging
import os
import selectors
import signal
import stat
import subprocess
import sys
import warnings

from . import base_subprocess, coroutines, events, futures, transports
from .selector_events import (LOG_THRESHOLD_FOR_CONNLOST_WRITES, BaseSelectorEventLoop,
                              _test_selector_event)

__all__ = ("SelectorEventLoop", "DefaultEventLoopPolicy")

logger = logging.getLogger("asyncio")


def _sighandler_noop(signum, frame):
    """The Python-level handler of a signal the loop handles: the work is done by
    set_wakeup_fd writing the signal number to the self-pipe."""


def waitstatus_to_exitcode(status):
    try:
        return os.waitstatus_to_exitcode(status)
    except ValueError:
        # An exit status we do not understand: pass it on as it is.
        return status


class _UnixSelectorEventLoop(BaseSelectorEventLoop):
    """BaseSelectorEventLoop plus signal handlers, pipes and child processes."""

    def __init__(self, selector=None, *, clock=None):
        super().__init__(selector, clock=clock)
        self._signal_handlers = {}     # signal number -> Handle
        self._child_pidfds = {}        # pid -> (pidfd, transport) of children not yet reaped

    def close(self):
        # The children the loop still watches are killed by their transports' close();
        # here we only stop watching. (Popen then warns "subprocess N is still running".)
        for pid, (pidfd, _) in list(self._child_pidfds.items()):
            self._remove_reader(pidfd)
            os.close(pidfd)
        self._child_pidfds.clear()
        super().close()
        if not sys.is_finalizing():
            for sig in list(self._signal_handlers):
                self.remove_signal_handler(sig)
        elif self._signal_handlers:
            warnings.warn(f"Closing the loop {self!r} on interpreter shutdown stage, "
                          f"skipping signal handlers removal", ResourceWarning, source=self)
            self._signal_handlers.clear()

    # ------------------------------------------------------------ signals

    def _process_self_data(self, data):
        for signum in data:
            if not signum:
                continue     # the b"\0" of _write_to_self(): a thread's wake-up
            self._handle_signal(signum)

    def add_signal_handler(self, sig, callback, *args):
        """Run ``callback(*args)`` in the loop whenever signal ``sig`` arrives.

        ValueError for a number that is not a signal, RuntimeError for a signal that cannot
        be caught or when not in the main thread, TypeError for a coroutine function."""
        if coroutines.iscoroutine(callback) or coroutines.iscoroutinefunction(callback):
            raise TypeError("coroutines cannot be used with add_signal_handler()")
        self._check_signal(sig)
        self._check_closed()
        try:
            # Raises ValueError off the main thread: called first, so a loop in another
            # thread cannot install anything.
            signal.set_wakeup_fd(self._csock.fileno())
        except (ValueError, OSError) as exc:
            raise RuntimeError(str(exc))

        handle = events.Handle(callback, args, self, None)
        self._signal_handlers[sig] = handle
        try:
            signal.signal(sig, _sighandler_noop)
            # SA_RESTART: a system call the signal interrupts is restarted, not EINTR.
            signal.siginterrupt(sig, False)
        except OSError as exc:
            del self._signal_handlers[sig]
            if not self._signal_handlers:
                try:
                    signal.set_wakeup_fd(-1)
                except (ValueError, OSError) as nexc:
                    logger.info("set_wakeup_fd(-1) failed: %s", nexc)
            if exc.errno == errno.EINVAL:
                raise RuntimeError(f"sig {sig} cannot be caught")
            raise

    def _handle_signal(self, sig):
        handle = self._signal_handlers.get(sig)
        if handle is None:
            return     # removed meanwhile
        if handle._cancelled:
            self.remove_signal_handler(sig)
        else:
            self._add_callback_signalsafe(handle)

    def remove_signal_handler(self, sig):
        """Restore the default handling of ``sig``. True if a handler was removed."""
        self._check_signal(sig)
        try:
            del self._signal_handlers[sig]
        except KeyError:
            return False
        handler = signal.default_int_handler if sig == signal.SIGINT else signal.SIG_DFL
        try:
            signal.signal(sig, handler)
        except OSError as exc:
            if exc.errno == errno.EINVAL:
                raise RuntimeError(f"sig {sig} cannot be caught")
            raise
        if not self._signal_handlers:
            try:
                signal.set_wakeup_fd(-1)
            except (ValueError, OSError) as exc:
                logger.info("set_wakeup_fd(-1) failed: %s", exc)
        return True

    def _check_signal(self, sig):
        if not isinstance(sig, int):
            raise TypeError(f"sig must be an int, not {sig!r}")
        if sig not in signal.valid_signals():
            raise ValueError(f"invalid signal number {sig}")

    # ------------------------------------------------------------ pipes

    # CPython has connect_read_pipe/connect_write_pipe in BaseEventLoop; minloop keeps
    # them beside the pipe transports they make.

    def _make_read_pipe_transport(self, pipe, protocol, waiter=None, extra=None):
        return _UnixReadPipeTransport(self, pipe, protocol, waiter, extra)

    def _make_write_pipe_transport(self, pipe, protocol, waiter=None, extra=None):
        return _UnixWritePipeTransport(self, pipe, protocol, waiter, extra)

    # ------------------------------------------------------------ child processes

    async def _make_subprocess_transport(self, protocol, args, shell, stdin, stdout, stderr,
                                         bufsize, extra=None, **kwargs):
        if not hasattr(os, "pidfd_open"):
            raise NotImplementedError(
                "minloop watches child processes with os.pidfd_open (Linux 5.3+ only)")
        waiter = self.create_future()
        transp = _UnixSubprocessTransport(self, protocol, args, shell, stdin, stdout, stderr,
                                          bufsize, waiter=waiter, extra=extra, **kwargs)
        self._watch_child(transp.get_pid(), transp)
        try:
            await waiter
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException:
            transp.close()
            await transp._wait()
            raise
        return transp

    def _watch_child(self, pid, transp):
        # CPython's PidfdChildWatcher.add_child_handler, with the loop as the watcher.
        pidfd = os.pidfd_open(pid)
        self._child_pidfds[pid] = (pidfd, transp)
        self._add_reader(pidfd, self._do_waitpid, pid)

    def _do_waitpid(self, pid):
        # The pidfd is readable: the child has exited (it is a zombie until waitpid).
        pidfd, transp = self._child_pidfds.pop(pid)
        self._remove_reader(pidfd)
        try:
            _, status = os.waitpid(pid, 0)
        except ChildProcessError:
            # Reaped elsewhere: by Popen.poll() in transport.close(), which then knows the
            # code; otherwise by someone else's waitpid (CPython: 255 and this warning).
            returncode = transp._proc.returncode if transp._proc is not None else None
            if returncode is None:
                returncode = 255
                logger.warning("child process pid %d exit status already read: "
                               " will report returncode 255", pid)
        else:
            returncode = waitstatus_to_exitcode(status)
            if self._debug:
                logger.debug("process %s exited with returncode %s", pid, returncode)
        os.close(pidfd)
        self._child_watcher_callback(pid, returncode, transp)

    def _child_watcher_callback(self, pid, returncode, transp):
        # As CPython: skip one iteration before telling the transport.
        self.call_soon_threadsafe(self.call_soon, transp._process_exited, returncode)


SelectorEventLoop = _UnixSelectorEventLoop


# ---------------------------------------------------------------- pipe transports

class _UnixReadPipeTransport(transports.ReadTransport):
    """The read end of a pipe: os.read() when readable, bytes to protocol.data_received,
    b"" (the writer closed) to eof_received and connection_lost(None)."""

    max_size = 256 * 1024   # at most this many bytes per read, per iteration

    def __init__(self, loop, pipe, protocol, waiter=None, extra=None):
        super().__init__(extra)
        self._extra["pipe"] = pipe
        self._loop = loop
        self._pipe = pipe
        self._fileno = pipe.fileno()
        self._protocol = protocol
        self._closing = False
        self._paused = False
        mode = os.fstat(self._fileno).st_mode
        if not (stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode) or stat.S_ISCHR(mode)):
            self._pipe = None
            self._fileno = None
            self._protocol = None
            raise ValueError("Pipe transport is for pipes/sockets only.")
        os.set_blocking(self._fileno, False)
        self._loop.call_soon(self._protocol.connection_made, self)
        # Read only once connection_made() has run; then wake the waiter.
        self._loop.call_soon(self._add_reader, self._fileno, self._read_ready)
        if waiter is not None:
            self._loop.call_soon(futures._set_result_unless_cancelled, waiter, None)

    def _add_reader(self, fd, callback):
        if not self.is_reading():
            return
        self._loop._add_reader(fd, callback)

    def is_reading(self):
        return not self._paused and not self._closing

    def __repr__(self):
        info = [self.__class__.__name__]
        if self._pipe is None:
            info.append("closed")
        elif self._closing:
            info.append("closing")
        info.append(f"fd={self._fileno}")
        selector = getattr(self._loop, "_selector", None)
        if self._pipe is not None and selector is not None:
            polling = _test_selector_event(selector, self._fileno, selectors.EVENT_READ)
            info.append("polling" if polling else "idle")
        elif self._pipe is not None:
            info.append("open")
        else:
            info.append("closed")
        return "<{}>".format(" ".join(info))

    def _read_ready(self):
        try:
            data = os.read(self._fileno, self.max_size)
        except (BlockingIOError, InterruptedError):
            pass
        except OSError as exc:
            self._fatal_error(exc, "Fatal read error on pipe transport")
        else:
            if data:
                self._protocol.data_received(data)
            else:
                if self._loop.get_debug():
                    logger.info("%r was closed by peer", self)
                self._closing = True
                self._loop._remove_reader(self._fileno)
                self._loop.call_soon(self._protocol.eof_received)
                self._loop.call_soon(self._call_connection_lost, None)

    def pause_reading(self):
        if not self.is_reading():
            return
        self._paused = True
        self._loop._remove_reader(self._fileno)
        if self._loop.get_debug():
            logger.debug("%r pauses reading", self)

    def resume_reading(self):
        if self._closing or not self._paused:
            return
        self._paused = False
        self._loop._add_reader(self._fileno, self._read_ready)
        if self._loop.get_debug():
            logger.debug("%r resumes reading", self)

    def set_protocol(self, protocol):
        self._protocol = protocol

    def get_protocol(self):
        return self._protocol

    def is_closing(self):
        return self._closing

    def close(self):
        if not self._closing:
            self._close(None)

    def __del__(self, _warn=warnings.warn):
        if self._pipe is not None:
            _warn(f"unclosed transport {self!r}", ResourceWarning, source=self)
            self._pipe.close()

    def _fatal_error(self, exc, message="Fatal error on pipe transport"):
        # EIO is how a pty says "the other side is gone": not worth a report.
        if isinstance(exc, OSError) and exc.errno == errno.EIO:
            if self._loop.get_debug():
                logger.debug("%r: %s", self, message, exc_info=True)
        else:
            self._loop.call_exception_handler({
                "message": message,
                "exception": exc,
                "transport": self,
                "protocol": self._protocol,
            })
        self._close(exc)

    def _close(self, exc):
        self._closing = True
        self._loop._remove_reader(self._fileno)
        self._loop.call_soon(self._call_connection_lost, exc)

    def _call_connection_lost(self, exc):
        try:
            self._protocol.connection_lost(exc)
        finally:
            self._pipe.close()
            self._pipe = None
            self._protocol = None
            self._loop = None


class _UnixWritePipeTransport(transports._FlowControlMixin, transports.WriteTransport):
    """The write end of a pipe: os.write() at once, the rest buffered and written when the
    fd is writable (with chapter 07's flow control). The reader closing its end makes our
    fd readable: that is how a write pipe notices (``_read_ready``)."""

    def __init__(self, loop, pipe, protocol, waiter=None, extra=None):
        super().__init__(extra, loop)
        self._extra["pipe"] = pipe
        self._pipe = pipe
        self._fileno = pipe.fileno()
        self._protocol = protocol
        self._buffer = bytearray()
        self._conn_lost = 0
        self._closing = False    # close() or write_eof() was called
        mode = os.fstat(self._fileno).st_mode
        is_char = stat.S_ISCHR(mode)
        is_fifo = stat.S_ISFIFO(mode)
        is_socket = stat.S_ISSOCK(mode)
        if not (is_char or is_fifo or is_socket):
            self._pipe = None
            self._fileno = None
            self._protocol = None
            raise ValueError("Pipe transport is only for pipes, sockets and character devices")
        os.set_blocking(self._fileno, False)
        self._loop.call_soon(self._protocol.connection_made, self)
        if is_socket or is_fifo:
            self._loop.call_soon(self._loop._add_reader, self._fileno, self._read_ready)
        if waiter is not None:
            self._loop.call_soon(futures._set_result_unless_cancelled, waiter, None)

    def __repr__(self):
        info = [self.__class__.__name__]
        if self._pipe is None:
            info.append("closed")
        elif self._closing:
            info.append("closing")
        info.append(f"fd={self._fileno}")
        selector = getattr(self._loop, "_selector", None)
        if self._pipe is not None and selector is not None:
            polling = _test_selector_event(selector, self._fileno, selectors.EVENT_WRITE)
            info.append("polling" if polling else "idle")
            info.append(f"bufsize={self.get_write_buffer_size()}")
        elif self._pipe is not None:
            info.append("open")
        else:
            info.append("closed")
        return "<{}>".format(" ".join(info))

    def get_write_buffer_size(self):
        return len(self._buffer)

    def _read_ready(self):
        # The reader closed its end of the pipe.
        if self._loop.get_debug():
            logger.info("%r was closed by peer", self)
        if self._buffer:
            self._close(BrokenPipeError())
        else:
            self._close()

    def write(self, data):
        assert isinstance(data, (bytes, bytearray, memoryview)), repr(data)
        if isinstance(data, bytearray):
            data = memoryview(data)
        if not data:
            return
        if self._conn_lost or self._closing:
            if self._conn_lost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES:
                logger.warning("pipe closed by peer or os.write(pipe, data) raised exception.")
            self._conn_lost += 1
            return
        if not self._buffer:
            try:
                n = os.write(self._fileno, data)
            except (BlockingIOError, InterruptedError):
                n = 0
            except (SystemExit, KeyboardInterrupt):
                raise
            except BaseException as exc:
                self._conn_lost += 1
                self._fatal_error(exc, "Fatal write error on pipe transport")
                return
            if n == len(data):
                return
            elif n > 0:
                data = memoryview(data)[n:]
            self._loop._add_writer(self._fileno, self._write_ready)
        self._buffer += data
        self._maybe_pause_protocol()

    def _write_ready(self):
        assert self._buffer, "Data should not be empty"
        try:
            n = os.write(self._fileno, self._buffer)
        except (BlockingIOError, InterruptedError):
            pass
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            self._buffer.clear()
            self._conn_lost += 1
            self._loop._remove_writer(self._fileno)   # _fatal_error won't: buffer is empty
            self._fatal_error(exc, "Fatal write error on pipe transport")
        else:
            if n == len(self._buffer):
                self._buffer.clear()
                self._loop._remove_writer(self._fileno)
                self._maybe_resume_protocol()   # may write more
                if self._closing:
                    self._loop._remove_reader(self._fileno)
                    self._call_connection_lost(None)
                return
            elif n > 0:
                del self._buffer[:n]

    def can_write_eof(self):
        return True

    def write_eof(self):
        """Close the pipe once the buffer is written (a pipe has no half-close)."""
        if self._closing:
            return
        assert self._pipe
        self._closing = True
        if not self._buffer:
            self._loop._remove_reader(self._fileno)
            self._loop.call_soon(self._call_connection_lost, None)

    def set_protocol(self, protocol):
        self._protocol = protocol

    def get_protocol(self):
        return self._protocol

    def is_closing(self):
        return self._closing

    def close(self):
        if self._pipe is not None and not self._closing:
            self.write_eof()

    def __del__(self, _warn=warnings.warn):
        if self._pipe is not None:
            _warn(f"unclosed transport {self!r}", ResourceWarning, source=self)
            self._pipe.close()

    def abort(self):
        self._close(None)

    def _fatal_error(self, exc, message="Fatal error on pipe transport"):
        # An OSError (EPIPE: the child is gone) is normal for a pipe: no report.
        if isinstance(exc, OSError):
            if self._loop.get_debug():
                logger.debug("%r: %s", self, message, exc_info=True)
        else:
            self._loop.call_exception_handler({
                "message": message,
                "exception": exc,
                "transport": self,
                "protocol": self._protocol,
            })
        self._close(exc)

    def _close(self, exc=None):
        self._closing = True
        if self._buffer:
            self._loop._remove_writer(self._fileno)
        self._buffer.clear()
        self._loop._remove_reader(self._fileno)
        self._loop.call_soon(self._call_connection_lost, exc)

    def _call_connection_lost(self, exc):
        try:
            self._protocol.connection_lost(exc)
        finally:
            self._pipe.close()
            self._pipe = None
            self._protocol = None
            self._loop = None


class _UnixSubprocessTransport(base_subprocess.BaseSubprocessTransport):
    """A child started with subprocess.Popen: bytes, no buffering, the pipes it asks for."""

    def _start(self, args, shell, stdin, stdout, stderr, bufsize, **kwargs):
        self._proc = subprocess.Popen(
            args, shell=shell, stdin=stdin, stdout=stdout, stderr=stderr,
            universal_newlines=False, bufsize=bufsize, **kwargs)


class _UnixDefaultEventLoopPolicy(events.BaseDefaultEventLoopPolicy):
    """The default policy: its loops are _UnixSelectorEventLoops. CPython's also owns the
    child watcher; minloop's loop watches its own children (see 3. above)."""

    _loop_factory = _UnixSelectorEventLoop


DefaultEventLoopPolicy = _UnixDefaultEventLoopPolicy
