"""A custom exception handler that itself raises does not crash the loop: asyncio logs 'Unhandled error in exception handler' (first line printed) and goes on.
"""
import logging


class Capture(logging.Handler):
    def emit(self, record):
        first = record.getMessage().splitlines()[0]
        print(f'LOG {record.levelname}: {first}')


root = logging.getLogger()
root.handlers[:] = [Capture()]
root.setLevel(logging.WARNING)


def broken_handler(loop, context):
    print('broken handler called for:', context['message'])
    raise RuntimeError('handler broke')


def bad():
    raise ValueError('callback broke')


loop = asyncio.new_event_loop()
loop.set_exception_handler(broken_handler)
loop.call_soon(bad)
loop.call_soon(print, 'loop keeps going')
loop.call_soon(loop.stop)
loop.run_forever()
loop.close()
