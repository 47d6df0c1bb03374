"""minloop: a small pure-Python event loop with the shape and names of CPython's asyncio.

    import minloop as asyncio      # ordinary asyncio programs run on it

Modules, each a simplified CPython module of the same name:

    events        Handle, TimerHandle, the running-loop registry, event loop policies
    base_events   the loop: _ready, _scheduled, the selector, _run_once
    futures       Future
    tasks         Task, sleep, gather, wait_for, wait, shield, as_completed
    coroutines    iscoroutine, iscoroutinefunction, is debug mode on?
    runners       run(), Runner
    exceptions    asyncio's exception classes (CancelledError, TimeoutError, ...)
    queues        Queue, PriorityQueue, LifoQueue                     (chapter 08)
    locks         Lock, Event, Condition, Semaphore, BoundedSemaphore, Barrier
    subprocess    create_subprocess_exec/shell, Process               (chapter 09)
    unix_events   signal handlers, child processes: the loop new_event_loop() returns
    threads       to_thread
    timeouts      timeout, timeout_at, Timeout                        (chapter 10)
    taskgroups    TaskGroup
    clock         VirtualClock (minloop only: time that jumps instead of sleeping)
    tracing       Tracer (minloop only: a record of every phase of _run_once)
"""

from .base_events import BaseEventLoop
from .clock import VirtualClock
from .coroutines import iscoroutine, iscoroutinefunction
from .events import *
from .events import _get_running_loop, _set_running_loop
from .exceptions import *
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
    "_get_running_loop", "_set_running_loop",
    "Future", "isfuture", "wrap_future",
    "Runner", "run",
    "ALL_COMPLETED", "FIRST_COMPLETED", "FIRST_EXCEPTION", "Task", "all_tasks",
    "as_completed", "create_task", "current_task", "ensure_future", "gather",
    "run_coroutine_threadsafe", "shield", "sleep", "wait", "wait_for",
    "_register_task", "_unregister_task", "_enter_task", "_leave_task",
)
from .queues import *             # chapter 08
from .locks import *
from .subprocess import *         # chapter 09
from .unix_events import *
from .threads import *
from .timeouts import *           # chapter 10
from .taskgroups import *

# These modules list their own public names.
from . import (events as _ev, exceptions as _ex, selector_events as _se, protocols as _pr,
               transports as _tr, streams as _st, queues as _qu, locks as _lo,
               subprocess as _sp, unix_events as _ue, threads as _th, timeouts as _to,
               taskgroups as _tg)
__all__ = tuple(dict.fromkeys(__all__ + tuple(
    name for m in (_ev, _ex, _se, _pr, _tr, _st, _qu, _lo, _sp, _ue, _th, _to, _tg)
    for name in m.__all__)))
del _ev, _ex, _se, _pr, _tr, _st, _qu, _lo, _sp, _ue, _th, _to, _tg
