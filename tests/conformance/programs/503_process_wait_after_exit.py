"""Process.wait() after the child has exited returns at once and again; signals to a reaped child raise ProcessLookupError; returncode of a child that was killed.
"""
import signal
import sys


async def main():
    proc = await asyncio.create_subprocess_exec(sys.executable, '-c', 'import sys; sys.exit(5)')
    await asyncio.sleep(0.3)           # the child is long gone; nobody waited yet
    print('wait:', await proc.wait(), 'again:', await proc.wait(), 'returncode:', proc.returncode)
    for name, call in [('kill', proc.kill), ('terminate', proc.terminate),
                       ('send_signal', lambda: proc.send_signal(signal.SIGUSR1))]:
        try:
            call()
        except ProcessLookupError as exc:
            print(name, 'after exit ->', type(exc).__name__)
    # A child that sleeps, stopped three ways.
    for how in ('terminate', 'kill', 'send_signal'):
        proc = await asyncio.create_subprocess_exec(sys.executable, '-c',
                                                    'import time; time.sleep(30)')
        if how == 'send_signal':
            proc.send_signal(signal.SIGUSR1)
        else:
            getattr(proc, how)()
        print(how, '->', await proc.wait())
    # Many waiters on one child all get the code.
    proc = await asyncio.create_subprocess_exec(sys.executable, '-c', 'import sys; sys.exit(2)')
    print('gathered waits:', await asyncio.gather(*(proc.wait() for _ in range(3))))


asyncio.run(main())
