"""Ctrl-C (SIGINT) during asyncio.run cancels the main task (its finally runs, it sees CancelledError) and then run() raises KeyboardInterrupt.

The signal is sent to this process from a timer callback while main waits. The runner prints
the escaping KeyboardInterrupt as 'KeyboardInterrupt: '.
"""
import os
import signal


async def main():
    loop = asyncio.get_running_loop()
    loop.call_later(0.01, os.kill, os.getpid(), signal.SIGINT)
    try:
        await asyncio.sleep(1)
        print('not reached')
    except asyncio.CancelledError:
        print('main sees CancelledError')
        raise
    finally:
        print('main finally')


print('SIGINT handler before run is the default:', signal.getsignal(signal.SIGINT) is signal.default_int_handler)
try:
    asyncio.run(main())
finally:
    print('SIGINT handler restored:', signal.getsignal(signal.SIGINT) is signal.default_int_handler)
