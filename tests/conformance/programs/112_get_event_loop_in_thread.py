"""get_event_loop() in a non-main thread without a loop raises RuntimeError naming the thread; after set_event_loop in that thread it returns that loop.
"""
import threading

out = []


def worker():
    try:
        asyncio.get_event_loop()
    except RuntimeError as e:
        out.append(f'RuntimeError: {e}')
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    out.append(f'after set_event_loop: {asyncio.get_event_loop() is loop}')
    out.append(f'runs there: {loop.run_until_complete(asyncio.sleep(0, "ok"))}')
    asyncio.set_event_loop(None)
    loop.close()


th = threading.Thread(target=worker, name='worker-7')
th.start()
th.join()
print('\n'.join(out))
