"""add_signal_handler/remove_signal_handler errors: coroutine functions, non-int and invalid signals, uncatchable signals, a closed loop, a loop in another thread; closing the loop removes its handlers.
"""
import signal
import threading


async def coro_fn():
    pass


def attempt(what, fn, *args):
    try:
        result = fn(*args)
    except Exception as exc:
        print(f'{what}: {type(exc).__name__}: {exc}')
    else:
        print(f'{what}: ok {result}')


def main():
    loop = asyncio.new_event_loop()
    attempt('coroutine function', loop.add_signal_handler, signal.SIGUSR1, coro_fn)
    attempt('string signal', loop.add_signal_handler, 'SIGUSR1', print)
    attempt('signal 0', loop.add_signal_handler, 0, print)
    attempt('signal 1000', loop.add_signal_handler, 1000, print)
    attempt('SIGKILL', loop.add_signal_handler, signal.SIGKILL, print)
    attempt('SIGSTOP', loop.add_signal_handler, signal.SIGSTOP, print)
    attempt('remove SIGKILL', loop.remove_signal_handler, signal.SIGKILL)
    attempt('remove string', loop.remove_signal_handler, 'x')
    attempt('remove unknown', loop.remove_signal_handler, signal.SIGUSR2)
    attempt('add SIGUSR1', loop.add_signal_handler, signal.SIGUSR1, print)
    print('handlers:', sorted(loop._signal_handlers) == [signal.SIGUSR1])
    loop.close()
    print('after close, default again:', signal.getsignal(signal.SIGUSR1) == signal.SIG_DFL)
    attempt('closed loop', loop.add_signal_handler, signal.SIGUSR1, print)
    attempt('closed loop, bad signal first', loop.add_signal_handler, 0, print)

    def in_thread():
        other = asyncio.new_event_loop()
        try:
            other.add_signal_handler(signal.SIGUSR1, print)
        except RuntimeError as exc:
            print('in another thread: RuntimeError')
        finally:
            other.close()

    th = threading.Thread(target=in_thread)
    th.start()
    th.join()


main()
