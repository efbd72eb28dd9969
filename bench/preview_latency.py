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

With --events URL (canhbao: http://127.0.0.1:PORT/__canhbao/events), the edit is measured the
way an open tab lives it instead: the script listens to the server-sent events as the live-reload
script does, and for each edit records the time from the write to the `reload` event
("reload_ms") and to the end of the page fetched right after that event ("edits_ms"; the page
must hold the token, else the sample is null: the reload came before the change was served).

Only the Python 3.11 standard library is used.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import threading
import http.client
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
    # A server that rewrites the page while it is sent (hugo server) may cut the answer short:
    # that counts as "not yet", like a refused connection.
    except (urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError, OSError):
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


def listen(url: str, events: "queue.Queue[tuple[float, str]]") -> None:
    """Puts (time, event name) for each server-sent event of URL, until the stream ends."""
    while True:
        try:
            with urllib.request.urlopen(url, timeout=600) as r:
                for raw in r:
                    line = raw.decode("utf-8", "replace").rstrip("\r\n")
                    if line.startswith("event:"):
                        events.put((time.monotonic(), line[6:].strip()))
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            pass
        time.sleep(0.05)


def wait_event(events: "queue.Queue[tuple[float, str]]", name: str, deadline_s: float) -> float | None:
    """The time of the next event `name`, or None after deadline_s."""
    end = time.monotonic() + deadline_s
    while True:
        try:
            at, got = events.get(timeout=max(0.0, end - time.monotonic()))
        except queue.Empty:
            return None
        if got == name:
            return at


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--url", required=True)
    ap.add_argument("--file", required=True)
    ap.add_argument("--samples", type=int, default=3)
    ap.add_argument("--start-timeout", type=float, default=600)
    ap.add_argument("--events", help="server-sent events URL: measure write -> reload event -> page")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    args = ap.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        ap.error("COMMAND is required after --")
    with open(args.file, "rb") as f:
        original = f.read()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    result: dict = {"start_s": None, "edits_ms": []}
    if args.events:
        result["reload_ms"] = []
    try:
        t0 = time.monotonic()
        if wait_for(args.url, None, args.start_timeout) is None:
            print(f"preview_latency: {args.url} never answered", file=sys.stderr)
            return 1
        result["start_s"] = round(time.monotonic() - t0, 3)
        events: "queue.Queue[tuple[float, str]]" = queue.Queue()
        if args.events:
            threading.Thread(target=listen, args=(args.events, events), daemon=True).start()
            if wait_event(events, "hello", 600) is None:
                print(f"preview_latency: no hello event from {args.events}", file=sys.stderr)
                return 1
        time.sleep(1.0)  # let the watcher settle after the first build
        for i in range(args.samples):
            token = f"dautimbench{os.getpid()}x{i}x{time.time_ns()}".encode()
            while not events.empty():
                events.get()
            written = time.monotonic()
            with open(args.file, "wb") as f:
                f.write(original + b"\n\nDoan kiem tra " + token + b".\n")
            if args.events:
                at = wait_event(events, "reload", 120)
                body = fetch(args.url) if at is not None else None
                done = time.monotonic()
                result["reload_ms"].append(None if at is None else round((at - written) * 1000, 1))
                shown = body is not None and token in body
                result["edits_ms"].append(round((done - written) * 1000, 1) if shown else None)
            else:
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
