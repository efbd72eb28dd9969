#!/usr/bin/env python3
"""Preview latency of a static site generator's live server: start time and edit-to-page time.

Usage: python3 bench/preview_latency.py --url URL --file FILE [--samples N] -- COMMAND...

Starts COMMAND (a preview server such as `canhbao serve` or `hugo server`), measures how long it
takes until URL answers 200 (the start time), then SAMPLES times: appends a paragraph holding a
fresh token to FILE (a Markdown article) and polls URL every 2 ms until the page served contains
the token. The time from the write to the first response holding it is the edit latency: what an
open browser tab would show at the earliest (the live-reload message and the tab's own fetch come
on top, a few milliseconds on localhost). FILE is restored afterwards and the server stopped.
Prints one JSON object: {"start_s": .., "edits_ms": [..]}.

Only the Python 3.11 standard library is used.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request


def fetch(url: str) -> bytes | None:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.read()
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return None


def wait_for(url: str, token: bytes | None, deadline_s: float) -> float | None:
    """Seconds until URL answers (and holds token), or None after deadline_s."""
    start = time.monotonic()
    while time.monotonic() - start < deadline_s:
        body = fetch(url)
        if body is not None and (token is None or token in body):
            return time.monotonic() - start
        time.sleep(0.002)
    return None


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--file", required=True)
    ap.add_argument("--samples", type=int, default=3)
    ap.add_argument("--start-timeout", type=float, default=600)
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        ap.error("COMMAND is required after --")
    with open(args.file, "rb") as f:
        original = f.read()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    result: dict = {"start_s": None, "edits_ms": []}
    try:
        t0 = time.monotonic()
        if wait_for(args.url, None, args.start_timeout) is None:
            print(f"preview_latency: {args.url} never answered", file=sys.stderr)
            return 1
        result["start_s"] = round(time.monotonic() - t0, 3)
        time.sleep(1.0)  # let the watcher settle after the first build
        for i in range(args.samples):
            token = f"dautimbench{os.getpid()}x{i}x{time.time_ns()}".encode()
            with open(args.file, "wb") as f:
                f.write(original + b"\n\nDoan kiem tra " + token + b".\n")
            t = wait_for(args.url, token, 120)
            result["edits_ms"].append(None if t is None else round(t * 1000, 1))
            time.sleep(1.5)  # past any debounce window before the next edit
    finally:
        with open(args.file, "wb") as f:
            f.write(original)
        try:
            os.killpg(proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
