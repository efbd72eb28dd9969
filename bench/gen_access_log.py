#!/usr/bin/env python3
"""Write a synthetic nginx access log (combined format) of about SIZE_MB megabytes for
`bench/scans.sh`: mostly ordinary traffic (pages, CSS, images, 404s), about 3% visits of the
example site's short links and tagged targets, crawlers and link previews, and a few malformed
lines. Seeded: the same bytes on every run.

usage: gen_access_log.py SIZE_MB OUT [printed-urls.txt]
"""

import random
import sys
import time

size_mb = int(sys.argv[1])
out = sys.argv[2]
registry = sys.argv[3] if len(sys.argv) > 3 else "printed-urls.txt"

shorts = []
with open(registry, encoding="utf-8") as f:
    for line in f:
        line = line.strip()
        if line and not line.startswith("#"):
            url = line.split(" #")[0]
            shorts.append("/" + url.split("://", 1)[1].split("/", 1)[1])

rng = random.Random(12)
agents = [
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; SM-A155F) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 coc_coc_browser/131.0",
    "Mozilla/5.0 (Linux; Android 12; V2111) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0 Mobile Safari/537.36 Zalo android/12100693",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
]
pages = [
    "/", "/canh-bao/gia-danh-cong-an-goi-dien/", "/canh-bao/app-vay-tien/", "/thu-doan/deepfake/",
    "/assets/style.css?h=1a2b3c", "/assets/search.js", "/canh-bao/gia-danh-ngan-hang/anh-bia.webp",
    "/search-index.json", "/feed.xml", "/wp-login.php", "/favicon.ico",
]
tags = ["phuong-ben-nghe", "phuong-tan-dinh", "kcn-tan-binh", "sms", "zalo", "facebook"]
months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

def rest(rng):
    """A line after its date: request, status, size, referrer, user agent."""
    r = rng.random()
    if r < 0.02:
        path = rng.choice(shorts)
    elif r < 0.03:
        path = f"/canh-bao/kiem-tra-truoc-khi-chuyen-tien/?src={rng.choice(tags)}"
    else:
        path = rng.choice(pages)
    status = 404 if path == "/wp-login.php" else (304 if rng.random() < 0.1 else 200)
    return (f' "GET {path} HTTP/2.0" {status} {rng.randrange(200, 90000)} '
            f'"https://www.facebook.com/" "{rng.choice(agents)}"\n')


# Pools, so that a line costs a few list look-ups (1 GB in seconds, not minutes).
ips = [f"{rng.randrange(1, 224)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(256)} - - [" for _ in range(1 << 16)]
rests = [rest(rng) for _ in range(1 << 14)]
garbage = "\x16\x03\x01 garbage from a TLS client on the plain port\n"

target = size_mb * 1_000_000
t = 1_793_466_000  # 2026-11-01 00:00 in Vietnam
written = 0
with open(out, "w", encoding="utf-8", newline="\n") as f:
    while written < target:
        chunk = []
        for _ in range(1000):
            t += 1
            tm = time.gmtime(t + 7 * 3600)
            stamp = f"{tm.tm_mday:02}/{months[tm.tm_mon - 1]}/{tm.tm_year}:{tm.tm_hour:02}:{tm.tm_min:02}:{tm.tm_sec:02} +0700]"
            for _ in range(3):
                bits = rng.getrandbits(32)
                chunk.append(ips[bits & 0xFFFF] + stamp + rests[bits >> 18])
            if bits & 0x3FF00 == 0:
                chunk.append(garbage)
        text = "".join(chunk)
        f.write(text)
        written += len(text)
