"""minloop: a small pure-Python event loop with the shape and names of CPython's asyncio.

    import minloop as asyncio      # ordinary asyncio programs run on it

Modules, each a simplified CPython module of the same name:

    events        Handle, TimerHandle, the running-loop registry
    base_events   the loop: _ready, _scheduled, the selector, _run_once
    futures       Future
    tasks         Task, sleep, gather, wait_for, wait, shield, as_completed
    coroutines    iscoroutine, iscoroutinefunction, is debug mode on?
    runners       run(), Runner
    exceptions    CancelledError, InvalidStateError, TimeoutError
    clock         VirtualClock (minloop only: time that jumps instead of sleeping)
    tracing       Tracer (minloop only: a record of every phase of _run_once)
"""

from .base_events import BaseEventLoop
from .clock import VirtualClock
from .coroutines import iscoroutine, iscoroutinefunction
from .events import (AbstractEventLoop, Handle, TimerHandle, get_event_loop,
                     get_running_loop, new_event_loop, set_event_loop,
                     _get_running_loop, _set_running_loop)
from .exceptions import CancelledError, InvalidStateError, TimeoutError
from .futures import Future, isfuture, wrap_future
from .runners import Runner, run
from .selector_events import *   # chapter 07: the network layer of the loop
from .protocols import *
from .transports import *
from .streams import *
from .tasks import (ALL_COMPLETED, FIRST_COMPLETED, FIRST_EXCEPTION, Task, all_tasks,
                    as_completed, create_task, current_task, ensure_future, gather,
                    run_coroutine_threadsafe, shield, sleep, wait, wait_for,
                    _enter_task, _leave_task, _register_task, _unregister_task)

__all__ = (
    "BaseEventLoop", "VirtualClock",
    "iscoroutine", "iscoroutinefunction",
    "AbstractEventLoop", "Handle", "TimerHandle", "get_event_loop", "get_running_loop",
    "new_event_loop", "set_event_loop", "_get_running_loop", "_set_running_loop",
    "CancelledError", "InvalidStateError", "TimeoutError",
    "Future", "isfuture", "wrap_future",
    "Runner", "run",
    "ALL_COMPLETED", "FIRST_COMPLETED", "FIRST_EXCEPTION", "Task", "all_tasks",
    "as_completed", "create_task", "current_task", "ensure_future", "gather",
    "run_coroutine_threadsafe", "shield", "sleep", "wait", "wait_for",
    "_register_task", "_unregister_task", "_enter_task", "_leave_task",
)
# Each chapter-07 module lists its own public names.
from . import selector_events as _se, protocols as _pr, transports as _tr, streams as _st
__all__ += _se.__all__ + _pr.__all__ + _tr.__all__ + _st.__all__
del _se, _pr, _tr, _st
