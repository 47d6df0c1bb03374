"""Ctrl-C (SIGINT) during asyncio.run is delivered to the main task as a cancellation: a main that catches it can still await cleanup and return, and run() then returns normally.
"""
import os
import signal


async def main():
    loop = asyncio.get_running_loop()
    loop.call_later(0.01, os.kill, os.getpid(), signal.SIGINT)
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print('main: interrupted, cleaning up; cancelling() =', asyncio.current_task().cancelling())
        await asyncio.sleep(0.01)
        print('main: cleanup done')
        return 'graceful'


try:
    print('run returned', asyncio.run(main()))
except KeyboardInterrupt:
    print('run raised KeyboardInterrupt')
