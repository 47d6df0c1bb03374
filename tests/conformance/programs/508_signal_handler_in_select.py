"""add_signal_handler: the callback runs in the loop (with its args) when the signal arrives while the loop sleeps in select; remove_signal_handler restores the default; a cancelled handler's Handle.
"""
import os
import signal
import threading
import time


async def main():
    loop = asyncio.get_running_loop()
    got = loop.create_future()

    def on_usr1(tag):
        print('handler ran in the loop thread:', threading.current_thread() is threading.main_thread(),
              'tag:', tag, 'loop running:', loop.is_running())
        got.set_result(signal.SIGUSR1)

    loop.add_signal_handler(signal.SIGUSR1, on_usr1, 'first')
    print('python handler installed:', signal.getsignal(signal.SIGUSR1) not in
          (signal.SIG_DFL, signal.SIG_IGN, None))

    def later():
        time.sleep(0.05)
        os.kill(os.getpid(), signal.SIGUSR1)

    th = threading.Thread(target=later)
    th.start()
    print('woken by signal:', (await got) == signal.SIGUSR1)   # nothing else can wake the loop
    th.join()
    # Two signals before the loop runs: the handler runs for each.
    calls = []
    loop.add_signal_handler(signal.SIGUSR2, calls.append, 'usr2')
    os.kill(os.getpid(), signal.SIGUSR2)
    os.kill(os.getpid(), signal.SIGUSR2)
    for _ in range(5):
        await asyncio.sleep(0.01)
    print('calls:', calls)
    print('remove:', loop.remove_signal_handler(signal.SIGUSR1), loop.remove_signal_handler(signal.SIGUSR1))
    print('default restored:', signal.getsignal(signal.SIGUSR1) == signal.SIG_DFL)
    print('remove usr2:', loop.remove_signal_handler(signal.SIGUSR2))
    loop.add_signal_handler(signal.SIGINT, print, 'sigint')
    print('remove SIGINT:', loop.remove_signal_handler(signal.SIGINT),
          signal.getsignal(signal.SIGINT) is signal.default_int_handler)


asyncio.run(main())
