"""The default exception handler's full log message: the context's 'message', then one 'key: repr(value)' line per other key (sorted), for contexts without internals.

Also the message logged for a never-retrieved Task exception, whose 'future' line is the task's
repr (name, coroutine, where it is defined in this program, the exception). Only
record.getMessage() is printed, never the traceback text (it holds loop-internal frames).
"""
import gc
import logging


class Capture(logging.Handler):
    def emit(self, record):
        has_exc = bool(record.exc_info) and record.exc_info[0] is not None
        print(f'--- LOG {record.levelname} (exception attached: {has_exc})')
        print(record.getMessage())


root = logging.getLogger()
root.handlers[:] = [Capture()]
root.setLevel(logging.WARNING)


async def failing():
    raise ValueError('lost')


async def main():
    loop = asyncio.get_running_loop()
    loop.call_exception_handler({'message': 'custom', 'zeta': [1, 2], 'alpha': 'text', 'num': 3})
    loop.call_exception_handler({'message': 'with exception', 'exception': KeyError('k'),
                                 'detail': None})
    fut = loop.create_future()
    fut.set_result('ok')
    loop.call_exception_handler({'message': 'with future', 'future': fut})
    t = asyncio.create_task(failing(), name='lost-task')
    await asyncio.sleep(0)
    del t
    gc.collect()


asyncio.run(main())
