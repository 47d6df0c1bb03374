"""A child that never reads its stdin: drain() blocks (backpressure) until it times out; killing the child makes the pending write fail: a pending drain() and wait_closed() raise raises BrokenPipeError and later drains raise ConnectionResetError.
"""
import sys


async def main():
    PIPE = asyncio.subprocess.PIPE
    proc = await asyncio.create_subprocess_exec(sys.executable, '-c',
                                                'import time; time.sleep(30)', stdin=PIPE)
    proc.stdin.write(b'z' * 1_000_000)
    transport = proc.stdin.transport
    print('buffered:', transport.get_write_buffer_size() > 0)
    try:
        await asyncio.wait_for(proc.stdin.drain(), 0.2)
    except asyncio.TimeoutError:
        print('drain blocked: timed out')
    pending = asyncio.create_task(proc.stdin.drain())
    await asyncio.sleep(0)
    proc.kill()
    print('returncode:', await proc.wait())
    try:
        await pending
    except BrokenPipeError as exc:
        print('drain pending during the kill ->', type(exc).__name__)
    print('is_closing:', transport.is_closing(), 'buffer:', transport.get_write_buffer_size())
    try:
        await proc.stdin.wait_closed()
    except BrokenPipeError as exc:
        print('wait_closed ->', type(exc).__name__)
    for _ in range(2):
        try:
            await proc.stdin.drain()
        except ConnectionResetError as exc:
            print('drain ->', type(exc).__name__, exc)
    proc.stdin.write(b'more')
    print('write after loss: silent')


asyncio.run(main())
