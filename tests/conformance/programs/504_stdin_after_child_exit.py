"""Writing to the stdin of a child that exited without reading it: write() is silent, drain() raises ConnectionResetError('Connection lost'), wait_closed() returns; communicate(input) ignores the broken pipe.
"""
import sys


async def main():
    PIPE = asyncio.subprocess.PIPE
    proc = await asyncio.create_subprocess_exec(sys.executable, '-c', 'pass', stdin=PIPE)
    print('exit:', await proc.wait())
    print('stdin is_closing:', proc.stdin.is_closing())
    proc.stdin.write(b'x' * 100_000)
    print('write: no error')
    try:
        await proc.stdin.drain()
    except ConnectionResetError as exc:
        print('drain ->', type(exc).__name__, exc)
    print('wait_closed ->', await proc.stdin.wait_closed())
    proc = await asyncio.create_subprocess_exec(sys.executable, '-c', 'pass', stdin=PIPE,
                                                stdout=PIPE)
    print('communicate:', await proc.communicate(b'y' * 1_000_000), proc.returncode)


asyncio.run(main())
