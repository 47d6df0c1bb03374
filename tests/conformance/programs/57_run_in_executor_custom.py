"""run_in_executor with an explicit concurrent.futures executor uses it; shutdown_default_executor is awaitable; asyncio.run shuts the default one down.
"""
import concurrent.futures
import threading


def whoami():
    return threading.current_thread().name.startswith('custom')


async def main():
    loop = asyncio.get_running_loop()
    with concurrent.futures.ThreadPoolExecutor(2, thread_name_prefix='custom') as pool:
        print('ran in custom pool:', await loop.run_in_executor(pool, whoami))
    print('default pool thread is custom:', await loop.run_in_executor(None, whoami))
    await loop.shutdown_default_executor()
    print('shutdown_default_executor done')


asyncio.run(main())
print('worker threads left:', sorted(t.name for t in threading.enumerate()
                                     if t is not threading.main_thread()))
