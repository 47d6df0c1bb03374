"""In debug mode, call_soon from a thread other than the loop's raises RuntimeError 'Non-thread-safe operation invoked on an event loop other than the current one'.
"""
import threading


async def main():
    loop = asyncio.get_running_loop()
    # Debug mode logs callbacks slower than 0.1 s, which depends on the machine's load,
    # not on the behaviour this program pins down.
    loop.slow_callback_duration = 3600
    errors = []

    def from_thread():
        try:
            loop.call_soon(print, 'should not be scheduled')
        except RuntimeError as e:
            errors.append(str(e))
        loop.call_soon_threadsafe(print, 'threadsafe is fine')

    th = threading.Thread(target=from_thread)
    th.start()
    th.join()
    await asyncio.sleep(0.01)
    print('errors:', errors)


asyncio.run(main(), debug=True)
