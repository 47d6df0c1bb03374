"""Transports: what a protocol writes to (CPython's asyncio/transports.py).

1. The abstract classes (BaseTransport, ReadTransport, WriteTransport, Transport...) are
   asyncio's own, re-exported as protocols.py does: they only name the methods a transport
   has, and sharing them lets code that checks ``isinstance(t, asyncio.Transport)`` accept
   minloop's transports. The one real transport, over a non-blocking socket, is
   ``_SelectorSocketTransport`` in selector_events.py.
2. ``_FlowControlMixin`` is minloop's own, with CPython's names: the *write* flow control
   every writing transport shares. A transport buffers what the socket would not take;
   when the buffer grows above the high-water mark it calls ``protocol.pause_writing()``,
   and when sending drains it to the low-water mark or below, ``protocol.resume_writing()``.
   That is all backpressure is: StreamWriter.drain() (streams.py) waits between the two.
3. Left out: CPython's ``__slots__`` on these classes (its mixin has them because its base
   classes do; they save nothing worth reading about here).
"""

from asyncio.transports import (BaseTransport, DatagramTransport, ReadTransport,
                                SubprocessTransport, Transport, WriteTransport)

__all__ = ("BaseTransport", "ReadTransport", "WriteTransport", "Transport",
           "DatagramTransport", "SubprocessTransport")


class _FlowControlMixin(Transport):
    """Write flow control with a high and a low water mark, as CPython's mixin.

    The subclass implements get_write_buffer_size() and calls _maybe_pause_protocol()
    whenever its buffer grows and _maybe_resume_protocol() whenever it shrinks.
    The default marks are 64 KiB and 16 KiB, CPython's.
    """

    def __init__(self, extra=None, loop=None):
        super().__init__(extra)
        assert loop is not None
        self._loop = loop
        self._protocol_paused = False     # we called pause_writing() and not yet resume
        self._set_write_buffer_limits()

    def _maybe_pause_protocol(self):
        size = self.get_write_buffer_size()
        if size <= self._high_water:
            return
        if not self._protocol_paused:
            self._protocol_paused = True
            try:
                self._protocol.pause_writing()
            except (SystemExit, KeyboardInterrupt):
                raise
            except BaseException as exc:
                # The protocol's bug is not the transport's: report it and carry on.
                self._loop.call_exception_handler({
                    "message": "protocol.pause_writing() failed",
                    "exception": exc,
                    "transport": self,
                    "protocol": self._protocol,
                })

    def _maybe_resume_protocol(self):
        if self._protocol_paused and self.get_write_buffer_size() <= self._low_water:
            self._protocol_paused = False
            try:
                self._protocol.resume_writing()
            except (SystemExit, KeyboardInterrupt):
                raise
            except BaseException as exc:
                self._loop.call_exception_handler({
                    "message": "protocol.resume_writing() failed",
                    "exception": exc,
                    "transport": self,
                    "protocol": self._protocol,
                })

    def get_write_buffer_limits(self):
        """``(low, high)``, in bytes."""
        return (self._low_water, self._high_water)

    def _set_write_buffer_limits(self, high=None, low=None):
        # Either mark alone sets the other: high = 4 * low, low = high // 4.
        if high is None:
            if low is None:
                high = 64 * 1024
            else:
                high = 4 * low
        if low is None:
            low = high // 4
        if not high >= low >= 0:
            raise ValueError(f"high ({high!r}) must be >= low ({low!r}) must be >= 0")
        self._high_water = high
        self._low_water = low

    def set_write_buffer_limits(self, high=None, low=None):
        """Set the marks; pause the protocol at once if the buffer is already above high."""
        self._set_write_buffer_limits(high=high, low=low)
        self._maybe_pause_protocol()

    def get_write_buffer_size(self):
        raise NotImplementedError
