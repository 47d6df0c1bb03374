"""The network layer of the loop: sockets, transports and servers (chapter 07).

Simplifies CPython's asyncio/selector_events.py (the socket transport, the sock_* helpers,
accepting connections) together with the network half of base_events.py (create_connection,
create_server, Server, getaddrinfo) and unix_events.py (the AF_UNIX variants).

1. CPython keeps create_connection/create_server/Server in base_events.py, because there
   the base loop is shared with the Windows proactor loop. minloop has one loop, so the
   whole network layer lives here and base_events.py stays "the loop": ``_ready``,
   ``_scheduled``, the selector and ``_run_once``. BaseSelectorEventLoop adds networking on top
   of it, using nothing but add_reader/add_writer and call_soon.
2. A transport owns one non-blocking socket. Readable: recv() and hand the bytes to
   ``protocol.data_received`` (b"" means EOF: ``eof_received``). write(): send() at once;
   what the socket does not take goes into a buffer, sent by a writer callback when the
   socket is writable again (flow control: see transports._FlowControlMixin). The end is
   always ``connection_lost(exc)``, exactly once and last: scheduled with call_soon, or
   called by the writer callback when close() was waiting for the buffer to drain.
   One speed trick, fenced and measured: reading with recv_into() a buffer the loop keeps
   (see _read_ready__data_received). Sockets are handed out wrapped in asyncio's own
   TransportSocket (no close() on it), as asyncio does.
3. The sock_* coroutines (sock_recv, sock_sendall, sock_connect, sock_accept) are the same
   idea without a transport: try the call; if it would block, register a callback that
   retries it when the selector says so, and wait on a Future.
4. getaddrinfo runs in a thread (run_in_executor), because the C resolver blocks. As CPython
   does, a numeric host ("127.0.0.1") is never sent to a thread by create_connection and
   create_server; minloop's public getaddrinfo also answers numeric hosts without a thread,
   so a VirtualClock loop does not have to wait on one, but hands the answer over after the
   loop iterations asyncio's quickest thread would take (see getaddrinfo).
5. Left out, each raising NotImplementedError with a one-line reason: TLS (``ssl=``,
   start_tls), datagrams (create_datagram_endpoint, sock_recvfrom, sock_sendto), sendfile.
   The happy-eyeballs race of ``happy_eyeballs_delay`` is in staggered.py, as in CPython.
   Debug mode logs what CPython's does ("is serving", "got a
   new connection", "connected to", "received EOF", "pauses reading", "Get address info").
"""

import collections
import collections.abc
import errno
import functools
import itertools
import logging
import os
import selectors
import socket
import stat
import sys
import warnings
import weakref
from asyncio.events import AbstractServer
from asyncio.trsock import TransportSocket

from . import futures, protocols, staggered, tasks, transports
from .base_events import BaseEventLoop
from .exceptions import CancelledError

# AbstractServer is asyncio.events' (what Server subclasses); exported from here, with
# the class that needs it, so that ``isinstance(server, asyncio.AbstractServer)`` works.
__all__ = ("BaseSelectorEventLoop", "Server", "AbstractServer")

logger = logging.getLogger("asyncio")

# CPython's constants (asyncio/constants.py), same names and values.
LOG_THRESHOLD_FOR_CONNLOST_WRITES = 5    # after the connection is lost, warn after 5 writes
ACCEPT_RETRY_DELAY = 1                   # seconds before accepting again when out of fds

_HAS_IPv6 = hasattr(socket, "AF_INET6")


def _not_in_minloop(what, why):
    return NotImplementedError(f"minloop leaves out {what}: {why}")


_NO_TLS = ("TLS (ssl=, start_tls)", "it is a protocol layered on a transport "
           "(CPython's sslproto.py, 900 lines) and teaches nothing new about the loop")


# ---------------------------------------------------------------- small helpers

def _set_nodelay(sock):
    """Disable Nagle's algorithm on TCP sockets, as CPython does for every transport: small
    writes go out at once instead of waiting for the peer's ACK of the previous one."""
    if (sock.family in {socket.AF_INET, socket.AF_INET6} and
            sock.type == socket.SOCK_STREAM and sock.proto == socket.IPPROTO_TCP):
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def _check_ssl_socket(sock):
    try:
        import ssl
    except ImportError:   # pragma: no cover
        return
    if isinstance(sock, ssl.SSLSocket):
        raise TypeError("Socket cannot be of type SSLSocket")


def _set_reuseport(sock):
    if not hasattr(socket, "SO_REUSEPORT"):
        raise ValueError("reuse_port not supported by socket module")
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    except OSError:
        raise ValueError("reuse_port not supported by socket module, "
                         "SO_REUSEPORT defined but not implemented.")


def _ipaddr_info(host, port, family, type, proto, flowinfo=0, scopeid=0):
    """If ``host`` is already a numeric IP address and ``port`` a number, return the one
    getaddrinfo() entry for it without calling getaddrinfo() (CPython's fast path), else
    None. Only for SOCK_STREAM/SOCK_DGRAM, as in CPython."""
    if proto not in {0, socket.IPPROTO_TCP, socket.IPPROTO_UDP} or host is None:
        return None
    if type == socket.SOCK_STREAM:
        proto = socket.IPPROTO_TCP
    elif type == socket.SOCK_DGRAM:
        proto = socket.IPPROTO_UDP
    else:
        return None
    if port is None or port == b"" or port == "":
        port = 0
    else:
        try:
            port = int(port)     # a service name like "http" must go to getaddrinfo
        except (TypeError, ValueError):
            return None
    if family == socket.AF_UNSPEC:
        afs = [socket.AF_INET, socket.AF_INET6] if _HAS_IPv6 else [socket.AF_INET]
    else:
        afs = [family]
    if isinstance(host, bytes):
        host = host.decode("idna")
    if "%" in host:
        return None          # an IPv6 zone index ("::1%lo") is beyond inet_pton
    for af in afs:
        try:
            socket.inet_pton(af, host)
        except OSError:
            continue
        if _HAS_IPv6 and af == socket.AF_INET6:
            return af, type, proto, "", (host, port, flowinfo, scopeid)
        return af, type, proto, "", (host, port)
    return None


def _is_numeric_lookup(host, port):
    """True if socket.getaddrinfo(host, port) cannot block: the host is a numeric address
    (or None) and the port a number (or None). Then no resolver, DNS or /etc/services is
    asked, and minloop calls getaddrinfo() right away instead of in a thread."""
    if isinstance(port, (bytes, str)):
        if not port.isdigit():
            return False
    elif port is not None and not isinstance(port, int):
        return False
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("idna", "replace")
    if not isinstance(host, str) or "%" in host:
        return False
    for af in (socket.AF_INET, socket.AF_INET6):
        try:
            socket.inet_pton(af, host)
            return True
        except OSError:
            pass
    return False


def _set_exception_unless_cancelled(fut, exc):
    if not fut.cancelled():
        fut.set_exception(exc)


def _test_selector_event(selector, fd, event):
    """Is the selector watching ``fd`` for ``event``? (for the transport's repr)"""
    try:
        key = selector.get_key(fd)
    except KeyError:
        return False
    return bool(key.events & event)


# ---------------------------------------------------------------- Server

class Server(AbstractServer):
    """What create_server() returns: the listening sockets and the connections they made.

    As CPython's base_events.Server: ``close()`` stops listening (connections already made
    stay open); ``wait_closed()`` waits until the server is closed *and* its last
    connection is gone, counted by ``_attach``/``_detach`` from each transport. As in 3.11,
    wait_closed() returns at once if close() was already called (3.12.1 changed that: it
    then waits for the connections too). ``async with server:`` closes it and waits
    (AbstractServer's __aenter__/__aexit__).
    """

    def __init__(self, loop, sockets, protocol_factory, ssl_context, backlog,
                 ssl_handshake_timeout=None, ssl_shutdown_timeout=None):
        self._loop = loop
        self._sockets = sockets
        self._active_count = 0           # transports of this server still open
        self._waiters = []               # Futures of wait_closed() calls
        self._protocol_factory = protocol_factory
        self._backlog = backlog
        self._ssl_context = ssl_context
        self._serving = False
        self._serving_forever_fut = None

    def __repr__(self):
        return f"<{self.__class__.__name__} sockets={self.sockets!r}>"

    def _attach(self):
        assert self._sockets is not None
        self._active_count += 1

    def _detach(self):
        assert self._active_count > 0
        self._active_count -= 1
        if self._active_count == 0 and self._sockets is None:
            self._wakeup()

    def _wakeup(self):
        waiters = self._waiters
        self._waiters = None
        for waiter in waiters:
            if not waiter.done():
                waiter.set_result(waiter)

    def _start_serving(self):
        if self._serving:
            return
        self._serving = True
        for sock in self._sockets:
            sock.listen(self._backlog)
            self._loop._start_serving(self._protocol_factory, sock, self._ssl_context,
                                      self, self._backlog)

    def get_loop(self):
        return self._loop

    def is_serving(self):
        return self._serving

    @property
    def sockets(self):
        """The listening sockets, wrapped in asyncio's TransportSocket (no close())."""
        if self._sockets is None:
            return ()
        return tuple(TransportSocket(s) for s in self._sockets)

    def close(self):
        """Stop listening and close the listening sockets. Open connections stay open."""
        sockets = self._sockets
        if sockets is None:
            return
        self._sockets = None
        for sock in sockets:
            self._loop._stop_serving(sock)
        self._serving = False
        if self._serving_forever_fut is not None and not self._serving_forever_fut.done():
            self._serving_forever_fut.cancel()
            self._serving_forever_fut = None
        if self._active_count == 0:
            self._wakeup()

    async def start_serving(self):
        self._start_serving()
        # Let one loop iteration pass, so the listening sockets' add_reader took effect.
        await tasks.sleep(0)

    async def serve_forever(self):
        """Serve until cancelled; then close the server and wait for it to be closed."""
        if self._serving_forever_fut is not None:
            raise RuntimeError(f"server {self!r} is already being awaited on serve_forever()")
        if self._sockets is None:
            raise RuntimeError(f"server {self!r} is closed")
        self._start_serving()
        self._serving_forever_fut = self._loop.create_future()
        try:
            await self._serving_forever_fut
        except CancelledError:
            try:
                self.close()
                await self.wait_closed()
            finally:
                raise
        finally:
            self._serving_forever_fut = None

    async def wait_closed(self):
        if self._sockets is None or self._waiters is None:
            return
        waiter = self._loop.create_future()
        self._waiters.append(waiter)
        await waiter


# ---------------------------------------------------------------- the loop

class BaseSelectorEventLoop(BaseEventLoop):
    """A BaseEventLoop with sockets, transports and servers. unix_events.py subclasses it
    (signals, subprocesses): that is the class new_event_loop() returns.

    CPython: BaseSelectorEventLoop (selector_events.py) plus the network methods of
    BaseEventLoop (base_events.py) plus _UnixSelectorEventLoop's create_unix_* methods.
    """

    def __init__(self, selector=None, *, clock=None):
        # fd -> its transport (weakly): add_reader on a transport's socket is refused.
        # Set before BaseEventLoop.__init__, which already calls add_reader (self-pipe).
        self._transports = weakref.WeakValueDictionary()
        # One receive buffer for all the loop's transports (see _read_ready__data_received):
        # a transport copies out what it received before the next one reads.
        self._recv_view = memoryview(bytearray(_SelectorSocketTransport.max_size))
        super().__init__(selector, clock=clock)

    # ------------------------------------------------------------ readers and writers

    # The public add_reader & co. refuse an fd that an open transport owns, with CPython's
    # message, since two owners of one socket would steal each other's bytes. Transports,
    # the sock_* helpers and the loop itself use the unchecked _add_reader & co.

    def _ensure_fd_no_transport(self, fd):
        fileno = fd
        if not isinstance(fileno, int):
            try:
                fileno = int(fileno.fileno())
            except (AttributeError, TypeError, ValueError):
                raise ValueError(f"Invalid file object: {fd!r}") from None
        transport = self._transports.get(fileno)
        if transport is not None and not transport.is_closing():
            raise RuntimeError(f"File descriptor {fd!r} is used by transport {transport!r}")

    def add_reader(self, fd, callback, *args):
        """Call ``callback(*args)`` whenever ``fd`` is readable."""
        self._ensure_fd_no_transport(fd)
        self._add_reader(fd, callback, *args)

    def remove_reader(self, fd):
        self._ensure_fd_no_transport(fd)
        return self._remove_reader(fd)

    def add_writer(self, fd, callback, *args):
        """Call ``callback(*args)`` whenever ``fd`` is writable."""
        self._ensure_fd_no_transport(fd)
        self._add_writer(fd, callback, *args)

    def remove_writer(self, fd):
        self._ensure_fd_no_transport(fd)
        return self._remove_writer(fd)

    # ------------------------------------------------------------ sock_* helpers

    # Each tries the operation at once; if the socket would block, it registers a callback
    # that retries on readiness and waits for a Future. A done-callback on that Future
    # removes the registration, whether it succeeded, failed or was cancelled.

    async def sock_recv(self, sock, n):
        """Receive up to ``n`` bytes from the non-blocking socket ``sock``."""
        _check_ssl_socket(sock)
        if self._debug and sock.gettimeout() != 0:
            raise ValueError("the socket must be non-blocking")
        try:
            return sock.recv(n)
        except (BlockingIOError, InterruptedError):
            pass
        fut = self.create_future()
        fd = sock.fileno()
        self._ensure_fd_no_transport(fd)
        handle = self._add_reader(fd, self._sock_recv, fut, sock, n)
        fut.add_done_callback(functools.partial(self._sock_read_done, fd, handle=handle))
        return await fut

    def _sock_read_done(self, fd, fut, handle=None):
        # Unregister only if the registration is still ours (someone may have replaced it).
        if handle is None or not handle.cancelled():
            self.remove_reader(fd)

    def _sock_recv(self, fut, sock, n):
        if fut.done():
            return     # cancelled while the callback was already queued
        try:
            data = sock.recv(n)
        except (BlockingIOError, InterruptedError):
            return     # spurious wake-up: try again next time
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            fut.set_exception(exc)
        else:
            fut.set_result(data)

    async def sock_recv_into(self, sock, buf):
        """Receive into the writable buffer ``buf``; return the number of bytes."""
        _check_ssl_socket(sock)
        if self._debug and sock.gettimeout() != 0:
            raise ValueError("the socket must be non-blocking")
        try:
            return sock.recv_into(buf)
        except (BlockingIOError, InterruptedError):
            pass
        fut = self.create_future()
        fd = sock.fileno()
        self._ensure_fd_no_transport(fd)
        handle = self._add_reader(fd, self._sock_recv_into, fut, sock, buf)
        fut.add_done_callback(functools.partial(self._sock_read_done, fd, handle=handle))
        return await fut

    def _sock_recv_into(self, fut, sock, buf):
        if fut.done():
            return
        try:
            nbytes = sock.recv_into(buf)
        except (BlockingIOError, InterruptedError):
            return
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            fut.set_exception(exc)
        else:
            fut.set_result(nbytes)

    async def sock_sendall(self, sock, data):
        """Send all of ``data``; return None. On error, how much was sent is unknown."""
        _check_ssl_socket(sock)
        if self._debug and sock.gettimeout() != 0:
            raise ValueError("the socket must be non-blocking")
        try:
            n = sock.send(data)
        except (BlockingIOError, InterruptedError):
            n = 0
        if n == len(data):
            return
        fut = self.create_future()
        fd = sock.fileno()
        self._ensure_fd_no_transport(fd)
        # The position is kept in a one-item list the callback updates in place.
        handle = self._add_writer(fd, self._sock_sendall, fut, sock, memoryview(data), [n])
        fut.add_done_callback(functools.partial(self._sock_write_done, fd, handle=handle))
        return await fut

    def _sock_sendall(self, fut, sock, view, pos):
        if fut.done():
            return
        start = pos[0]
        try:
            n = sock.send(view[start:])
        except (BlockingIOError, InterruptedError):
            return
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            fut.set_exception(exc)
            return
        start += n
        if start == len(view):
            fut.set_result(None)
        else:
            pos[0] = start

    async def sock_connect(self, sock, address):
        """Connect ``sock`` to ``address`` (resolved first, for AF_INET/AF_INET6)."""
        _check_ssl_socket(sock)
        if self._debug and sock.gettimeout() != 0:
            raise ValueError("the socket must be non-blocking")
        if sock.family == socket.AF_INET or (_HAS_IPv6 and sock.family == socket.AF_INET6):
            resolved = await self._ensure_resolved(
                address, family=sock.family, type=sock.type, proto=sock.proto, loop=self)
            _, _, _, _, address = resolved[0]
        fut = self.create_future()
        self._sock_connect(fut, sock, address)
        try:
            return await fut
        finally:
            fut = None   # break the cycle through the traceback if it raised

    def _sock_connect(self, fut, sock, address):
        fd = sock.fileno()
        try:
            sock.connect(address)
        except (BlockingIOError, InterruptedError):
            # A non-blocking connect() goes on in the background: the socket becomes
            # writable when it has succeeded or failed; SO_ERROR says which.
            self._ensure_fd_no_transport(fd)
            handle = self._add_writer(fd, self._sock_connect_cb, fut, sock, address)
            fut.add_done_callback(functools.partial(self._sock_write_done, fd, handle=handle))
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            fut.set_exception(exc)
        else:
            fut.set_result(None)
        finally:
            fut = None

    def _sock_write_done(self, fd, fut, handle=None):
        if handle is None or not handle.cancelled():
            self.remove_writer(fd)

    def _sock_connect_cb(self, fut, sock, address):
        if fut.done():
            return
        try:
            err = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR)
            if err != 0:
                raise OSError(err, f"Connect call failed {address}")
        except (BlockingIOError, InterruptedError):
            pass   # still connecting: the writer stays registered
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            fut.set_exception(exc)
        else:
            fut.set_result(None)
        finally:
            fut = None

    async def sock_accept(self, sock):
        """Accept a connection on the listening ``sock``: ``(conn, address)``, conn
        non-blocking."""
        _check_ssl_socket(sock)
        if self._debug and sock.gettimeout() != 0:
            raise ValueError("the socket must be non-blocking")
        fut = self.create_future()
        self._sock_accept(fut, sock)
        return await fut

    def _sock_accept(self, fut, sock):
        fd = sock.fileno()
        try:
            conn, address = sock.accept()
            conn.setblocking(False)
        except (BlockingIOError, InterruptedError):
            # Not yet: this same method becomes the reader callback and runs again.
            self._ensure_fd_no_transport(fd)
            handle = self._add_reader(fd, self._sock_accept, fut, sock)
            fut.add_done_callback(functools.partial(self._sock_read_done, fd, handle=handle))
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            fut.set_exception(exc)
        else:
            fut.set_result((conn, address))

    # ------------------------------------------------------------ names and addresses

    def _getaddrinfo_debug(self, host, port, family, type, proto, flags):
        """Debug mode: socket.getaddrinfo(), logged with the time it took (CPython's)."""
        msg = [f"{host}:{port!r}"]
        if family:
            msg.append(f"family={family!r}")
        if type:
            msg.append(f"type={type!r}")
        if proto:
            msg.append(f"proto={proto!r}")
        if flags:
            msg.append(f"flags={flags!r}")
        msg = ", ".join(msg)
        logger.debug("Get address info %s", msg)
        t0 = self.time()
        addrinfo = socket.getaddrinfo(host, port, family, type, proto, flags)
        dt = self.time() - t0
        msg = f"Getting address info {msg} took {dt * 1e3:.3f}ms: {addrinfo!r}"
        if dt >= self.slow_callback_duration:
            logger.info(msg)
        else:
            logger.debug(msg)
        return addrinfo

    async def getaddrinfo(self, host, port, *, family=0, type=0, proto=0, flags=0):
        """socket.getaddrinfo() without blocking the loop: in the default executor's thread.

        minloop only: when host and port are numeric (``"127.0.0.1"``, ``8080``), nothing
        can block, so no thread is used: socket.getaddrinfo() is called right here, and its
        outcome is handed over the way the quickest thread's would be (see
        _run_as_if_in_executor), so the caller resumes after the same loop iterations as
        with asyncio, and other tasks run meanwhile, as they would. No thread matters on a
        VirtualClock loop (a job in a thread makes it wait in real time) and for a course
        that traces every iteration. (Not with AI_CANONNAME, which may ask DNS for the
        canonical name.)
        """
        if self._debug:
            getaddr_func = self._getaddrinfo_debug
        else:
            getaddr_func = socket.getaddrinfo
        if _is_numeric_lookup(host, port) and not flags & socket.AI_CANONNAME:
            return await self._run_as_if_in_executor(getaddr_func, host, port, family, type,
                                                     proto, flags)
        return await self.run_in_executor(None, getaddr_func, host, port, family, type,
                                          proto, flags)

    def _run_as_if_in_executor(self, func, *args):
        """minloop only: call ``func(*args)`` now, and return a Future that gets its outcome
        one iteration later, as run_in_executor's Future gets a job's at the earliest: the
        thread's result comes back through call_soon_threadsafe, so its Future is done one
        iteration after the call, and the awaiting task resumes one iteration after that
        (asyncio: never sooner, later if the thread is slow)."""
        self._check_closed()
        self._check_default_executor()   # as run_in_executor: not after shutdown
        fut = self.create_future()
        try:
            result = func(*args)
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            self.call_soon(_set_exception_unless_cancelled, fut, exc)
        else:
            self.call_soon(futures._set_result_unless_cancelled, fut, result)
        return fut

    async def getnameinfo(self, sockaddr, flags=0):
        """socket.getnameinfo() in the default executor's thread (it may ask DNS)."""
        return await self.run_in_executor(None, socket.getnameinfo, sockaddr, flags)

    async def _ensure_resolved(self, address, *, family=0, type=socket.SOCK_STREAM,
                               proto=0, flags=0, loop):
        host, port = address[:2]
        info = _ipaddr_info(host, port, family, type, proto, *address[2:])
        if info is not None:
            return [info]          # already a numeric address: no getaddrinfo at all
        return await loop.getaddrinfo(host, port, family=family, type=type, proto=proto,
                                      flags=flags)

    # ------------------------------------------------------------ transports

    def _make_socket_transport(self, sock, protocol, waiter=None, *, extra=None,
                               server=None):
        return _SelectorSocketTransport(self, sock, protocol, waiter, extra, server)

    async def _connect_sock(self, exceptions, addr_info, local_addr_infos=None):
        """Create, bind (if local_addr) and connect one socket; errors go to ``exceptions``."""
        my_exceptions = []
        exceptions.append(my_exceptions)
        family, type_, proto, _, address = addr_info
        sock = None
        try:
            sock = socket.socket(family=family, type=type_, proto=proto)
            sock.setblocking(False)
            if local_addr_infos is not None:
                for lfamily, _, _, _, laddr in local_addr_infos:
                    if lfamily != family:
                        continue
                    try:
                        sock.bind(laddr)
                        break
                    except OSError as exc:
                        msg = (f"error while attempting to bind on address {laddr!r}: "
                               f"{exc.strerror.lower()}")
                        my_exceptions.append(OSError(exc.errno, msg))
                else:
                    if my_exceptions:
                        raise my_exceptions.pop()
                    raise OSError(f"no matching local address with {family=} found")
            await self.sock_connect(sock, address)
            return sock
        except OSError as exc:
            my_exceptions.append(exc)
            if sock is not None:
                sock.close()
            raise
        except:
            if sock is not None:
                sock.close()
            raise
        finally:
            exceptions = my_exceptions = None

    async def create_connection(self, protocol_factory, host=None, port=None, *, ssl=None,
                                family=0, proto=0, flags=0, sock=None, local_addr=None,
                                server_hostname=None, ssl_handshake_timeout=None,
                                ssl_shutdown_timeout=None, happy_eyeballs_delay=None,
                                interleave=None):
        """Connect to a TCP server; return ``(transport, protocol)`` once connection_made()
        has been called. Tries each address getaddrinfo gives, in order; if all fail,
        raises the error (or one OSError naming them all, if they differ)."""
        if server_hostname is not None and not ssl:
            raise ValueError("server_hostname is only meaningful with ssl")
        if server_hostname is None and ssl and not host:
            raise ValueError("You must set server_hostname when using ssl without a host")
        if ssl_handshake_timeout is not None and not ssl:
            raise ValueError("ssl_handshake_timeout is only meaningful with ssl")
        if ssl_shutdown_timeout is not None and not ssl:
            raise ValueError("ssl_shutdown_timeout is only meaningful with ssl")
        if sock is not None:
            _check_ssl_socket(sock)
        if ssl:
            raise _not_in_minloop(*_NO_TLS)
        if happy_eyeballs_delay is not None and interleave is None:
            # With happy eyeballs, alternate address families by default.
            interleave = 1
        if host is not None or port is not None:
            if sock is not None:
                raise ValueError("host/port and sock can not be specified at the same time")
            infos = await self._ensure_resolved((host, port), family=family,
                                                type=socket.SOCK_STREAM, proto=proto,
                                                flags=flags, loop=self)
            if not infos:
                raise OSError("getaddrinfo() returned empty list")
            if local_addr is not None:
                laddr_infos = await self._ensure_resolved(local_addr, family=family,
                                                          type=socket.SOCK_STREAM,
                                                          proto=proto, flags=flags, loop=self)
                if not laddr_infos:
                    raise OSError("getaddrinfo() returned empty list")
            else:
                laddr_infos = None
            if interleave:
                infos = _interleave_addrinfos(infos, interleave)
            exceptions = []
            if happy_eyeballs_delay is None:
                for addrinfo in infos:      # one address after another
                    try:
                        sock = await self._connect_sock(exceptions, addrinfo, laddr_infos)
                        break
                    except OSError:
                        continue
            else:
                # Happy eyeballs (RFC 8305): start the next attempt when the previous one
                # fails or after happy_eyeballs_delay seconds; the first to connect wins.
                sock, _, _ = await staggered.staggered_race(
                    (functools.partial(self._connect_sock, exceptions, addrinfo, laddr_infos)
                     for addrinfo in infos),
                    happy_eyeballs_delay, loop=self)
            if sock is None:
                exceptions = [exc for sub in exceptions for exc in sub]
                try:
                    if len(exceptions) == 1:
                        raise exceptions[0]
                    model = str(exceptions[0])
                    if all(str(exc) == model for exc in exceptions):
                        raise exceptions[0]
                    raise OSError("Multiple exceptions: {}".format(
                        ", ".join(str(exc) for exc in exceptions)))
                finally:
                    exceptions = None
        else:
            if sock is None:
                raise ValueError("host and port was not specified and no sock specified")
            if sock.type != socket.SOCK_STREAM:
                raise ValueError(f"A Stream Socket was expected, got {sock!r}")
        transport, protocol = await self._create_connection_transport(sock, protocol_factory)
        if self._debug:
            sock = transport.get_extra_info("socket")
            logger.debug("%r connected to %s:%r: (%r, %r)", sock, host, port, transport,
                         protocol)
        return transport, protocol

    async def _create_connection_transport(self, sock, protocol_factory):
        sock.setblocking(False)
        protocol = protocol_factory()
        waiter = self.create_future()
        transport = self._make_socket_transport(sock, protocol, waiter)
        try:
            await waiter            # set right after connection_made() has run
        except:
            transport.close()
            raise
        return transport, protocol

    async def connect_accepted_socket(self, protocol_factory, sock, *, ssl=None,
                                      ssl_handshake_timeout=None, ssl_shutdown_timeout=None):
        """Wrap a socket accepted elsewhere (already connected) in a transport."""
        if sock.type != socket.SOCK_STREAM:
            raise ValueError(f"A Stream Socket was expected, got {sock!r}")
        if ssl_handshake_timeout is not None and not ssl:
            raise ValueError("ssl_handshake_timeout is only meaningful with ssl")
        if ssl_shutdown_timeout is not None and not ssl:
            raise ValueError("ssl_shutdown_timeout is only meaningful with ssl")
        _check_ssl_socket(sock)
        if ssl:
            raise _not_in_minloop(*_NO_TLS)
        transport, protocol = await self._create_connection_transport(sock, protocol_factory)
        if self._debug:
            sock = transport.get_extra_info("socket")
            logger.debug("%r handled: (%r, %r)", sock, transport, protocol)
        return transport, protocol

    # ------------------------------------------------------------ servers

    async def _create_server_getaddrinfo(self, host, port, family, flags):
        infos = await self._ensure_resolved((host, port), family=family,
                                            type=socket.SOCK_STREAM, flags=flags, loop=self)
        if not infos:
            raise OSError(f"getaddrinfo({host!r}) returned empty list")
        return infos

    async def create_server(self, protocol_factory, host=None, port=None, *,
                            family=socket.AF_UNSPEC, flags=socket.AI_PASSIVE, sock=None,
                            backlog=100, ssl=None, reuse_address=None, reuse_port=None,
                            ssl_handshake_timeout=None, ssl_shutdown_timeout=None,
                            start_serving=True):
        """Listen on ``host`` (one name or several) and ``port``; return a Server.

        Each accepted connection gets ``protocol_factory()`` and a transport. With
        ``start_serving=False`` nothing is accepted until server.start_serving()."""
        if isinstance(ssl, bool):
            raise TypeError("ssl argument must be an SSLContext or None")
        if ssl_handshake_timeout is not None and ssl is None:
            raise ValueError("ssl_handshake_timeout is only meaningful with ssl")
        if ssl_shutdown_timeout is not None and ssl is None:
            raise ValueError("ssl_shutdown_timeout is only meaningful with ssl")
        if sock is not None:
            _check_ssl_socket(sock)
        if ssl is not None:
            raise _not_in_minloop(*_NO_TLS)
        if host is not None or port is not None:
            if sock is not None:
                raise ValueError("host/port and sock can not be specified at the same time")
            if reuse_address is None:
                reuse_address = os.name == "posix" and sys.platform != "cygwin"
            sockets = []
            if host == "":
                hosts = [None]
            elif isinstance(host, str) or not isinstance(host, collections.abc.Iterable):
                hosts = [host]
            else:
                hosts = host
            fs = [self._create_server_getaddrinfo(h, port, family=family, flags=flags)
                  for h in hosts]
            infos = await tasks.gather(*fs)
            infos = set(itertools.chain.from_iterable(infos))
            completed = False
            try:
                for af, socktype, proto, canonname, sa in infos:
                    try:
                        sock = socket.socket(af, socktype, proto)
                    except OSError:
                        # A family this machine lacks (no IPv6, say).
                        if self._debug:
                            logger.warning("create_server() failed to create "
                                           "socket.socket(%r, %r, %r)",
                                           af, socktype, proto, exc_info=True)
                        continue
                    sockets.append(sock)
                    if reuse_address:
                        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, True)
                    if reuse_port:
                        _set_reuseport(sock)
                    # Linux's IPv6 sockets also listen on IPv4 by default: not wanted here,
                    # where the IPv4 address gets its own socket.
                    if _HAS_IPv6 and af == socket.AF_INET6 and hasattr(socket, "IPPROTO_IPV6"):
                        sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, True)
                    try:
                        sock.bind(sa)
                    except OSError as err:
                        raise OSError(err.errno, "error while attempting to bind on "
                                      "address %r: %s" % (sa, err.strerror.lower())) from None
                completed = True
            finally:
                if not completed:
                    for sock in sockets:
                        sock.close()
        else:
            if sock is None:
                raise ValueError("Neither host/port nor sock were specified")
            if sock.type != socket.SOCK_STREAM:
                raise ValueError(f"A Stream Socket was expected, got {sock!r}")
            sockets = [sock]
        for sock in sockets:
            sock.setblocking(False)
        server = Server(self, sockets, protocol_factory, ssl, backlog)
        if start_serving:
            server._start_serving()
            await tasks.sleep(0)    # one iteration, so add_reader has taken effect
        if self._debug:
            logger.info("%r is serving", server)
        return server

    def _start_serving(self, protocol_factory, sock, sslcontext=None, server=None,
                       backlog=100):
        self._add_reader(sock.fileno(), self._accept_connection, protocol_factory, sock,
                         sslcontext, server, backlog)

    def _accept_connection(self, protocol_factory, sock, sslcontext=None, server=None,
                           backlog=100):
        # Called once per iteration in which the listening socket was readable; several
        # connections may be waiting, so accept up to `backlog` of them now.
        for _ in range(backlog):
            try:
                conn, addr = sock.accept()
                if self._debug:
                    logger.debug("%r got a new connection from %r: %r", server, addr, conn)
                conn.setblocking(False)
            except (BlockingIOError, InterruptedError, ConnectionAbortedError):
                return None      # nobody else waiting
            except OSError as exc:
                if exc.errno in (errno.EMFILE, errno.ENFILE, errno.ENOBUFS, errno.ENOMEM):
                    # Out of file descriptors or memory. The listening socket stays
                    # readable, so stop watching it for a second, then try again.
                    self.call_exception_handler({
                        "message": "socket.accept() out of system resource",
                        "exception": exc,
                        "socket": TransportSocket(sock),
                    })
                    self._remove_reader(sock.fileno())
                    self.call_later(ACCEPT_RETRY_DELAY, self._start_serving,
                                    protocol_factory, sock, sslcontext, server, backlog)
                else:
                    raise     # the Handle reports it to the exception handler
            else:
                extra = {"peername": addr}
                self.create_task(self._accept_connection2(protocol_factory, conn, extra,
                                                          sslcontext, server))

    async def _accept_connection2(self, protocol_factory, conn, extra, sslcontext=None,
                                  server=None):
        protocol = None
        transport = None
        try:
            protocol = protocol_factory()
            waiter = self.create_future()
            transport = self._make_socket_transport(conn, protocol, waiter=waiter,
                                                    extra=extra, server=server)
            try:
                await waiter
            except BaseException:
                transport.close()
                raise
            # From here on the connection is the protocol's business.
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            # CPython reports this only in debug mode (a failing protocol_factory, say).
            if self._debug:
                context = {"message": "Error on transport creation for incoming connection",
                           "exception": exc}
                if protocol is not None:
                    context["protocol"] = protocol
                if transport is not None:
                    context["transport"] = transport
                self.call_exception_handler(context)

    def _stop_serving(self, sock):
        self._remove_reader(sock.fileno())
        sock.close()

    # ------------------------------------------------------------ AF_UNIX

    async def create_unix_connection(self, protocol_factory, path=None, *, ssl=None,
                                     sock=None, server_hostname=None,
                                     ssl_handshake_timeout=None, ssl_shutdown_timeout=None):
        """create_connection for a Unix domain socket at ``path`` (CPython: unix_events.py)."""
        assert server_hostname is None or isinstance(server_hostname, str)
        if ssl:
            if server_hostname is None:
                raise ValueError("you have to pass server_hostname when using ssl")
            raise _not_in_minloop(*_NO_TLS)
        if server_hostname is not None:
            raise ValueError("server_hostname is only meaningful with ssl")
        if ssl_handshake_timeout is not None:
            raise ValueError("ssl_handshake_timeout is only meaningful with ssl")
        if ssl_shutdown_timeout is not None:
            raise ValueError("ssl_shutdown_timeout is only meaningful with ssl")
        if path is not None:
            if sock is not None:
                raise ValueError("path and sock can not be specified at the same time")
            path = os.fspath(path)
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM, 0)
            try:
                sock.setblocking(False)
                await self.sock_connect(sock, path)
            except:
                sock.close()
                raise
        else:
            if sock is None:
                raise ValueError("no path and sock were specified")
            if sock.family != socket.AF_UNIX or sock.type != socket.SOCK_STREAM:
                raise ValueError(f"A UNIX Domain Stream Socket was expected, got {sock!r}")
            sock.setblocking(False)
        return await self._create_connection_transport(sock, protocol_factory)

    async def create_unix_server(self, protocol_factory, path=None, *, sock=None,
                                 backlog=100, ssl=None, ssl_handshake_timeout=None,
                                 ssl_shutdown_timeout=None, start_serving=True):
        """create_server on a Unix domain socket at ``path``; a stale socket file left
        there by an earlier server is removed first, as CPython does."""
        if isinstance(ssl, bool):
            raise TypeError("ssl argument must be an SSLContext or None")
        if ssl_handshake_timeout is not None and not ssl:
            raise ValueError("ssl_handshake_timeout is only meaningful with ssl")
        if ssl_shutdown_timeout is not None and not ssl:
            raise ValueError("ssl_shutdown_timeout is only meaningful with ssl")
        if ssl is not None:
            raise _not_in_minloop(*_NO_TLS)
        if path is not None:
            if sock is not None:
                raise ValueError("path and sock can not be specified at the same time")
            path = os.fspath(path)
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            if path[0] not in (0, "\x00"):      # not an abstract (Linux-only) address
                try:
                    if stat.S_ISSOCK(os.stat(path).st_mode):
                        os.remove(path)
                except FileNotFoundError:
                    pass
                except OSError as err:
                    logger.error("Unable to check or remove stale UNIX socket %r: %r",
                                 path, err)
            try:
                sock.bind(path)
            except OSError as exc:
                sock.close()
                if exc.errno == errno.EADDRINUSE:
                    raise OSError(errno.EADDRINUSE,
                                  f"Address {path!r} is already in use") from None
                raise
            except:
                sock.close()
                raise
        else:
            if sock is None:
                raise ValueError("path was not specified, and no sock specified")
            if sock.family != socket.AF_UNIX or sock.type != socket.SOCK_STREAM:
                raise ValueError(f"A UNIX Domain Stream Socket was expected, got {sock!r}")
        sock.setblocking(False)
        server = Server(self, [sock], protocol_factory, ssl, backlog)
        if start_serving:
            server._start_serving()
            await tasks.sleep(0)
        return server

    # ------------------------------------------------------------ left out

    async def create_datagram_endpoint(self, protocol_factory, local_addr=None,
                                       remote_addr=None, **kwargs):
        raise _not_in_minloop("datagrams (UDP)", "a second transport type the course "
                              "does not need; streams show the same loop machinery")

    async def sock_recvfrom(self, sock, bufsize):
        raise _not_in_minloop("datagrams (sock_recvfrom)", "the course uses streams only")

    async def sock_recvfrom_into(self, sock, buf, nbytes=0):
        raise _not_in_minloop("datagrams (sock_recvfrom_into)", "the course uses streams only")

    async def sock_sendto(self, sock, data, address):
        raise _not_in_minloop("datagrams (sock_sendto)", "the course uses streams only")

    async def start_tls(self, transport, protocol, sslcontext, **kwargs):
        raise _not_in_minloop(*_NO_TLS)

    async def sendfile(self, transport, file, offset=0, count=None, *, fallback=True):
        raise _not_in_minloop("sendfile", "an os.sendfile() optimisation; "
                              "write() in a loop does the same job")

    async def sock_sendfile(self, sock, file, offset=0, count=None, *, fallback=True):
        raise _not_in_minloop("sock_sendfile", "an os.sendfile() optimisation; "
                              "sock_sendall() in a loop does the same job")


def _interleave_addrinfos(addrinfos, first_address_family_count=1):
    """Reorder getaddrinfo() results so address families alternate (IPv6, IPv4, ...)."""
    by_family = collections.OrderedDict()
    for addr in addrinfos:
        by_family.setdefault(addr[0], []).append(addr)
    lists = list(by_family.values())
    reordered = []
    if first_address_family_count > 1:
        reordered.extend(lists[0][:first_address_family_count - 1])
        del lists[0][:first_address_family_count - 1]
    reordered.extend(a for a in itertools.chain.from_iterable(itertools.zip_longest(*lists))
                     if a is not None)
    return reordered


# ---------------------------------------------------------------- the socket transport

class _SelectorSocketTransport(transports._FlowControlMixin):
    """A stream transport over a non-blocking socket, driven by add_reader/add_writer.

    CPython splits this into _SelectorTransport (shared with datagrams) and
    _SelectorSocketTransport; minloop has only streams, so it is one class.

    The guarantees a protocol relies on, and where they are kept:

    * connection_made() runs first (call_soon in __init__), and reading starts only after
      it (the add_reader is queued behind it);
    * connection_lost(exc) runs exactly once, last: ``_conn_lost`` counts it as scheduled,
      and every path to the end (close with an empty buffer, _force_close, the buffer
      drained after close) goes through one call_soon or one direct call of
      ``_call_connection_lost``, after which nothing is read or written;
    * write() never blocks and never raises for a broken connection: errors end the
      connection through ``_fatal_error`` and connection_lost(exc).
    """

    max_size = 256 * 1024     # bytes asked of each recv()

    _sock = None              # read by __del__ even if __init__ failed early

    def __init__(self, loop, sock, protocol, waiter=None, extra=None, server=None):
        super().__init__(extra, loop)
        self._extra["socket"] = TransportSocket(sock)
        try:
            self._extra["sockname"] = sock.getsockname()
        except OSError:
            self._extra["sockname"] = None
        if "peername" not in self._extra:
            try:
                self._extra["peername"] = sock.getpeername()
            except OSError:
                self._extra["peername"] = None
        self._sock = sock
        self._sock_fd = sock.fileno()
        self._protocol_connected = False
        self._read_ready_cb = None
        self.set_protocol(protocol)
        self._server = server
        self._buffer = bytearray()   # bytes write() could not send yet
        self._conn_lost = 0          # > 0 once connection_lost is scheduled (+1 per
                                     # write() after that, to warn after a few)
        self._closing = False        # close() or abort() was called, or the end came
        self._paused = False         # pause_reading() was called
        self._eof = False            # write_eof() was called
        if self._server is not None:
            self._server._attach()
        loop._transports[self._sock_fd] = self

        _set_nodelay(self._sock)
        # The order a protocol can rely on: connection_made, then reading, then the
        # waiter of create_connection (so its caller sees a connected protocol).
        self._loop.call_soon(self._protocol.connection_made, self)
        self._loop.call_soon(self._add_reader, self._sock_fd, self._read_ready)
        if waiter is not None:
            self._loop.call_soon(futures._set_result_unless_cancelled, waiter, None)

    def __repr__(self):
        info = [self.__class__.__name__]
        if self._sock is None:
            info.append("closed")
        elif self._closing:
            info.append("closing")
        info.append(f"fd={self._sock_fd}")
        if self._loop is not None and not self._loop.is_closed():
            polling = _test_selector_event(self._loop._selector, self._sock_fd,
                                           selectors.EVENT_READ)
            info.append("read=polling" if polling else "read=idle")
            polling = _test_selector_event(self._loop._selector, self._sock_fd,
                                           selectors.EVENT_WRITE)
            state = "polling" if polling else "idle"
            info.append(f"write=<{state}, bufsize={self.get_write_buffer_size()}>")
        return "<{}>".format(" ".join(info))

    def __del__(self, _warn=warnings.warn):
        if self._sock is not None:
            _warn(f"unclosed transport {self!r}", ResourceWarning, source=self)
            self._sock.close()

    # ------------------------------------------------------------ protocol and state

    def set_protocol(self, protocol):
        # A BufferedProtocol gets the bytes in its own buffer (get_buffer/buffer_updated),
        # saving a copy; any other protocol gets a new bytes object (data_received).
        if isinstance(protocol, protocols.BufferedProtocol):
            self._read_ready_cb = self._read_ready__get_buffer
        else:
            self._read_ready_cb = self._read_ready__data_received
        self._protocol = protocol
        self._protocol_connected = True

    def get_protocol(self):
        return self._protocol

    def is_closing(self):
        return self._closing

    def get_write_buffer_size(self):
        return len(self._buffer)

    # ------------------------------------------------------------ reading

    def is_reading(self):
        return not self._closing and not self._paused

    def pause_reading(self):
        """Stop reading: the socket's reader is removed, so the kernel's receive buffer
        fills and TCP tells the peer to stop sending."""
        if not self.is_reading():
            return
        self._paused = True
        self._loop._remove_reader(self._sock_fd)
        if self._loop.get_debug():
            logger.debug("%r pauses reading", self)

    def resume_reading(self):
        if self._closing or not self._paused:
            return
        self._paused = False
        self._add_reader(self._sock_fd, self._read_ready)
        if self._loop.get_debug():
            logger.debug("%r resumes reading", self)

    def _add_reader(self, fd, callback, *args):
        if not self.is_reading():
            return     # paused or closed before the queued add_reader of __init__ ran
        self._loop._add_reader(fd, callback, *args)

    def _read_ready(self):
        self._read_ready_cb()

    def _read_ready__data_received(self):
        if self._conn_lost:
            return
        try:
            # ---- speed (the one trick in this file). CPython calls
            # self._sock.recv(self.max_size) here. recv(n) allocates n bytes before
            # it reads; 256 KiB is above glibc's mmap threshold (128 KiB unless malloc
            # has raised it), so every recv() maps and unmaps memory, even to read 100
            # bytes. Reading into one buffer the loop keeps with recv_into() and copying
            # out the bytes received costs a fifth of that or less (one machine: 13.5 us
            # against 2.5 us per send+recv pair on a socketpair; another: 25 against 3.6).
            # The echo benchmark (100-byte messages) takes 0.6x asyncio's CPU time with
            # it, 1.15x without; bulk throughput is unchanged. Same chunk sizes as CPython,
            # so data_received() sees the same bytes in the same calls, even for a
            # transport whose max_size was changed (the buffer grows if it asks for more).
            view = self._loop._recv_view
            if self.max_size > len(view):
                view = self._loop._recv_view = memoryview(bytearray(self.max_size))
            nbytes = self._sock.recv_into(view, self.max_size)
        except (BlockingIOError, InterruptedError):
            return
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            # ConnectionResetError for a peer that reset the connection, say.
            self._fatal_error(exc, "Fatal read error on socket transport")
            return
        if not nbytes:
            self._read_ready__on_eof()
            return
        data = bytes(view[:nbytes])   # ---- end of speed
        try:
            self._protocol.data_received(data)
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            self._fatal_error(exc, "Fatal error: protocol.data_received() call failed.")

    def _read_ready__get_buffer(self):
        if self._conn_lost:
            return
        try:
            buf = self._protocol.get_buffer(-1)
            if not len(buf):
                raise RuntimeError("get_buffer() returned an empty buffer")
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            self._fatal_error(exc, "Fatal error: protocol.get_buffer() call failed.")
            return
        try:
            nbytes = self._sock.recv_into(buf)
        except (BlockingIOError, InterruptedError):
            return
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            self._fatal_error(exc, "Fatal read error on socket transport")
            return
        if not nbytes:
            self._read_ready__on_eof()
            return
        try:
            self._protocol.buffer_updated(nbytes)
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            self._fatal_error(exc, "Fatal error: protocol.buffer_updated() call failed.")

    def _read_ready__on_eof(self):
        if self._loop.get_debug():
            logger.debug("%r received EOF", self)
        try:
            keep_open = self._protocol.eof_received()
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            self._fatal_error(exc, "Fatal error: protocol.eof_received() call failed.")
            return
        if keep_open:
            # Half-closed: the peer sends no more, but we may still write. Stop reading
            # (the socket would stay readable, returning b"", forever).
            self._loop._remove_reader(self._sock_fd)
        else:
            self.close()

    # ------------------------------------------------------------ writing

    def write(self, data):
        """Send ``data`` now if the socket takes it; buffer what it does not."""
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"data argument must be a bytes-like object, "
                            f"not {type(data).__name__!r}")
        if self._eof:
            raise RuntimeError("Cannot call write() after write_eof()")
        if not data:
            return
        if self._conn_lost:
            # The connection is gone; the protocol heard (or will hear) connection_lost.
            # Writing into the void is a bug in the caller, but not worth an exception.
            if self._conn_lost >= LOG_THRESHOLD_FOR_CONNLOST_WRITES:
                logger.warning("socket.send() raised exception.")
            self._conn_lost += 1
            return
        if not self._buffer:
            # Nothing queued before us: try to send at once (the common case, no syscall
            # for select and no callback).
            try:
                n = self._sock.send(data)
            except (BlockingIOError, InterruptedError):
                pass
            except (SystemExit, KeyboardInterrupt):
                raise
            except BaseException as exc:
                self._fatal_error(exc, "Fatal write error on socket transport")
                return
            else:
                data = data[n:]
                if not data:
                    return
            # The socket is full: send the rest when it is writable again.
            self._loop._add_writer(self._sock_fd, self._write_ready)
        self._buffer.extend(data)
        self._maybe_pause_protocol()     # above the high-water mark: pause_writing()

    def _write_ready(self):
        assert self._buffer, "Data should not be empty"
        if self._conn_lost:
            return
        try:
            n = self._sock.send(self._buffer)
        except (BlockingIOError, InterruptedError):
            pass
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            self._loop._remove_writer(self._sock_fd)
            self._buffer.clear()
            self._fatal_error(exc, "Fatal write error on socket transport")
        else:
            if n:
                del self._buffer[:n]
            self._maybe_resume_protocol()   # at or below low water: resume_writing()
            if not self._buffer:
                self._loop._remove_writer(self._sock_fd)
                if self._closing:
                    # close() was waiting for the buffer to drain. Called directly, and
                    # _conn_lost stays 0, as in CPython (3.11 to 3.13): so abort() after
                    # this raises AttributeError there and here alike.
                    self._call_connection_lost(None)
                elif self._eof:
                    self._sock.shutdown(socket.SHUT_WR)

    def write_eof(self):
        """Half-close: send FIN once the buffer is flushed. Reading goes on."""
        if self._closing or self._eof:
            return
        self._eof = True
        if not self._buffer:
            self._sock.shutdown(socket.SHUT_WR)

    def can_write_eof(self):
        return True

    # ------------------------------------------------------------ the end

    def close(self):
        """Stop reading now; connection_lost(None) once the write buffer is flushed."""
        if self._closing:
            return
        self._closing = True
        self._loop._remove_reader(self._sock_fd)
        if not self._buffer:
            self._conn_lost += 1
            self._loop._remove_writer(self._sock_fd)
            self._loop.call_soon(self._call_connection_lost, None)

    def abort(self):
        """Close at once, dropping whatever is still buffered."""
        self._force_close(None)

    def _fatal_error(self, exc, message="Fatal error on transport"):
        # An OSError (reset, broken pipe) is the network's doing: CPython logs it only in
        # debug mode. Anything else is a bug worth the exception handler.
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
        self._force_close(exc)

    def _force_close(self, exc):
        if self._conn_lost:
            return
        if self._buffer:
            self._buffer.clear()
            self._loop._remove_writer(self._sock_fd)
        if not self._closing:
            self._closing = True
            self._loop._remove_reader(self._sock_fd)
        self._conn_lost += 1
        self._loop.call_soon(self._call_connection_lost, exc)

    def _call_connection_lost(self, exc):
        try:
            if self._protocol_connected:
                self._protocol.connection_lost(exc)
        finally:
            self._sock.close()
            self._sock = None
            self._protocol = None
            self._loop = None
            server = self._server
            if server is not None:
                server._detach()
                self._server = None
