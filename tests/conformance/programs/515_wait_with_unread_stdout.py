"""Process.wait() does not return while a piped stdout holds unread data (its reader paused), even after the child was killed; communicate() reads it and returns. Bounded with wait_for.
"""
import sys

ECHO = [sys.executable, '-c',
        'import sys\nwhile c := sys.stdin.buffer.read1(65536): sys.stdout.buffer.write(c)']


async def main():
    PIPE = asyncio.subprocess.PIPE
    proc = await asyncio.create_subprocess_exec(*ECHO, stdin=PIPE, stdout=PIPE)
    # First make sure the child runs (a loaded machine may take longer than the bounds
    # below to start a Python): one small echo, read back.
    proc.stdin.write(b'hello')
    print('echoed:', await proc.stdout.readexactly(5))
    proc.stdin.write(b'x' * 2_000_000)
    try:
        await asyncio.wait_for(proc.stdin.drain(), 0.2)
    except asyncio.TimeoutError:
        print('drain: stuck, the child waits for us to read its output')
    proc.kill()
    try:
        await asyncio.wait_for(proc.wait(), 0.3)
    except asyncio.TimeoutError:
        print('wait(): stuck too, stdout not read; returncode', proc.returncode)
    out, err = await proc.communicate()
    print('communicate:', len(out) > 0, set(out), err, 'returncode', proc.returncode)


asyncio.run(main())
