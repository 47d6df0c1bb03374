"""Protocols: the callbacks a transport calls (CPython's asyncio/protocols.py), re-exported.

1. A protocol is an object with callbacks; the transport calls them, always from the loop:
   ``connection_made(transport)`` first, then ``data_received(data)`` any number of times,
   maybe ``eof_received()``, and ``connection_lost(exc)`` exactly once, last. A writer's
   protocol also hears ``pause_writing()``/``resume_writing()`` (flow control, see
   transports.py).
2. minloop re-exports asyncio's own classes rather than defining look-alikes, as
   exceptions.py does for exceptions: they are plain base classes whose methods do nothing,
   and sharing them means a protocol written for asyncio runs on minloop's transports
   unchanged, and the ``isinstance(protocol, BufferedProtocol)`` test the transport makes
   (see selector_events.py) is true for a protocol subclassing either module's class.
   Read their definitions with ``show_source(asyncio.protocols)``: they are docstrings only.
3. DatagramProtocol and SubprocessProtocol are re-exported so the names exist, but minloop
   has no datagram transport (create_datagram_endpoint raises NotImplementedError) and
   subprocesses are chapter 09's.
"""

from asyncio.protocols import (BaseProtocol, BufferedProtocol, DatagramProtocol, Protocol,
                               SubprocessProtocol)

__all__ = ("BaseProtocol", "Protocol", "DatagramProtocol", "SubprocessProtocol",
           "BufferedProtocol")
