"""call_exception_handler passes the context dict as is to a custom handler; the default handler fills a missing message with 'Unhandled exception in event loop'.
"""
import logging


class Capture(logging.Handler):
    def emit(self, record):
        print('LOG:', record.getMessage().splitlines()[0])


root = logging.getLogger()
root.handlers[:] = [Capture()]
root.setLevel(logging.WARNING)

loop = asyncio.new_event_loop()
loop.call_exception_handler({'exception': ValueError('no message')})
loop.call_exception_handler({'message': ''})
seen = []
loop.set_exception_handler(lambda lp, ctx: seen.append(ctx))
ctx = {'message': 'custom', 'extra': 1}
loop.call_exception_handler(ctx)
print('custom handler got the same dict:', seen[0] is ctx, seen[0])
loop.close()
