"""_LoopBoundMixin: a queue or lock belongs to the loop that first waits on it
(CPython's asyncio/mixins.py).

1. Before 3.10 a Lock or Queue took the loop when it was *made* (``loop=`` or
   get_event_loop()), so one made at import time was bound to the wrong loop. Since 3.10
   it binds lazily: to the running loop, the first time it has to make a waiter Future.
   A primitive that never has to wait never binds at all.
2. Used from a second loop later, it refuses with CPython's message
   ``<...> is bound to a different event loop``.
3. Same as CPython, down to the double-checked global lock: two threads binding the same
   primitive at once must not both win. (Primitives are still not thread-safe: the lock
   only guards this one assignment.)
"""

import threading

from . import events

__all__ = ()

_global_lock = threading.Lock()


class _LoopBoundMixin:
    _loop = None

    def _get_loop(self):
        loop = events._get_running_loop()

        if self._loop is None:
            with _global_lock:
                if self._loop is None:
                    self._loop = loop
        if loop is not self._loop:
            raise RuntimeError(f'{self!r} is bound to a different event loop')
        return loop
