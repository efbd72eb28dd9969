#!/usr/bin/env python3
"""Where in a build its memory peaks (issue 10): runs a command and samples its resident
anonymous memory (RssAnon of /proc/<pid>/status, the heap and thread stacks, not the binary's
pages) every 0.25 s, then prints `seconds:MiB` pairs and the peak.

usage: bench/rss_timeline.py COMMAND [ARG...]
e.g.   bench/rss_timeline.py target/release/canhbao build -q --root SITE --output /dev/shm/out

Linux only; standard library only. A plateau that starts as loading ends is the model; growth
during rendering is what the jobs keep.
"""
import subprocess
import sys
import time


def rss_anon_mib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("RssAnon:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        return None
    return None


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    start = time.monotonic()
    child = subprocess.Popen(argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    samples: list[tuple[float, int]] = []
    while child.poll() is None:
        mib = rss_anon_mib(child.pid)
        if mib is not None:
            samples.append((time.monotonic() - start, mib))
        time.sleep(0.25)
    print(" ".join(f"{t:.1f}:{m}" for t, m in samples))
    if samples:
        at, peak = max(samples, key=lambda s: s[1])
        print(f"peak RssAnon {peak} MiB at {at:.1f} s of {time.monotonic() - start:.1f} s; exit {child.returncode}")
    return child.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv))
