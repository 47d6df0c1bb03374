"""The network layer of the loop: sockets, transports and servers (chapter 07).

Placeholder while chapter 07 is built: SelectorEventLoop is the loop new_event_loop() returns.
"""

from .base_events import BaseEventLoop

__all__ = ("SelectorEventLoop",)


class SelectorEventLoop(BaseEventLoop):
    """A BaseEventLoop with sockets, transports and servers."""
