"""The default exception handler logs the context through the logging module at ERROR level, with the exception attached (exc_info).

A logging handler on the root logger captures the records; the first line of each message is
printed (later lines hold reprs of loop internals).
"""
import logging


class Capture(logging.Handler):
    def emit(self, record):
        first = record.getMessage().splitlines()[0]
        exc = record.exc_info[1] if record.exc_info else None
        print(f'LOG {record.levelname}: {first} | exc_info: {type(exc).__name__} {exc}')


root = logging.getLogger()
root.handlers[:] = [Capture()]
root.setLevel(logging.WARNING)  # the loop may log DEBUG chatter (e.g. which selector)


def failing():
    raise KeyError('from callback')


loop = asyncio.new_event_loop()
loop.call_soon(failing)
loop.call_soon(loop.stop)
loop.run_forever()
print('--- call_exception_handler with a custom context')
loop.call_exception_handler({'message': 'custom message', 'exception': OSError('disk')})
loop.call_exception_handler({'message': 'no exception here'})
print('--- default_exception_handler called directly')
loop.default_exception_handler({'message': 'direct call'})
loop.close()
