#!/usr/bin/env python3
"""Validate a corpus written by gen_corpus.py (standard library; uses PyYAML
as an extra YAML-validity check when it happens to be installed).

Usage: python3 bench/check_corpus.py SITEDIR

Checks every file is UTF-8, NFC, LF-only; site.yaml and front matter use only
keys from docs/contracts.md; dates are valid; scam/audience keys exist; titles
are unique and Vietnamese; slugs are ASCII; bodies have 600-900 words and the
expected Markdown features; internal links point to other existing articles.
Prints statistics; exits 1 on the first 30 problems.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import unicodedata
from collections import Counter

try:
    import yaml  # type: ignore
except ImportError:  # optional
    yaml = None

SITE_KEYS = {"title", "description", "base_url", "language", "organisation", "hotline", "paginate_by",
             "theme", "sections", "menu", "scams", "audiences"}
ARTICLE_KEYS = {"title", "date", "updated", "summary", "scams", "audiences", "severity", "cover",
                "cover_alt", "draft", "slug", "aliases"}
PAGE_KEYS = {"title", "summary", "slug", "updated", "draft", "aliases"}
SEVERITIES = {"info", "warning", "urgent"}
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
RFC3339_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$")
INTERNAL_LINK_RE = re.compile(r"\]\(([^)\s:]+\.md)\)")
EXTERNAL_LINK_RE = re.compile(r"\]\((https?://[^)\s]+)\)")

problems: list[str] = []


def problem(msg: str) -> None:
    problems.append(msg)


def read_text(path: str) -> str:
    raw = open(path, "rb").read()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        problem(f"{path}: not UTF-8 ({e})")
        return raw.decode("utf-8", "replace")
    if unicodedata.normalize("NFC", text) != text:
        problem(f"{path}: not NFC")
    if "\r" in text:
        problem(f"{path}: contains CR")
    if raw.startswith(b"\xef\xbb\xbf"):
        problem(f"{path}: has a BOM")
    return text


def unquote(v: str) -> str:
    if len(v) >= 2 and v[0] == v[-1] == '"':
        return v[1:-1].replace('\\"', '"').replace("\\\\", "\\")
    return v


def flow_list(v: str) -> list[str]:
    if not (v.startswith("[") and v.endswith("]")):
        return []
    return [x.strip() for x in v[1:-1].split(",") if x.strip()]


def split_front_matter(path: str, text: str) -> tuple[dict[str, str], str]:
    if not text.startswith("---\n"):
        problem(f"{path}: no front matter")
        return {}, text
    end = text.find("\n---\n", 4)
    if end < 0:
        problem(f"{path}: unterminated front matter")
        return {}, text
    fm_text, body = text[4:end], text[end + 5:]
    fm: dict[str, str] = {}
    for line in fm_text.split("\n"):
        m = re.match(r"^([a-z_]+): (.*)$", line)
        if not m:
            problem(f"{path}: unexpected front matter line {line!r}")
            continue
        if m.group(1) in fm:
            problem(f"{path}: duplicate key {m.group(1)}")
        fm[m.group(1)] = m.group(2)
    if yaml is not None:
        try:
            parsed = yaml.safe_load(fm_text)
            if not isinstance(parsed, dict) or set(parsed) != set(fm):
                problem(f"{path}: PyYAML reads different keys: {parsed!r}")
        except yaml.YAMLError as e:
            problem(f"{path}: invalid YAML: {e}")
    return fm, body


def parse_date(v: str) -> dt.date | None:
    if DATE_RE.match(v):
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            return None
    if RFC3339_RE.match(v):
        try:
            return dt.datetime.fromisoformat(v.replace("Z", "+00:00")).date()
        except ValueError:
            return None
    return None


def words(body: str) -> int:
    """Independent of gen_corpus.count_words: tokens with a letter, link targets dropped."""
    text = re.sub(r"<!--.*?-->", " ", body, flags=re.S)
    text = re.sub(r"\]\([^)]*\)", "] ", text)
    text = re.sub(r"\[![A-Z]+\]", " ", text)
    return sum(1 for tok in text.split() if any(ch.isalpha() for ch in tok))


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: check_corpus.py SITEDIR", file=sys.stderr)
        return 2
    root = argv[1]

    # ---- site.yaml
    site_path = os.path.join(root, "site.yaml")
    site_text = read_text(site_path)
    top_keys = re.findall(r"^([a-z_]+):", site_text, flags=re.M)
    for k in top_keys:
        if k not in SITE_KEYS:
            problem(f"site.yaml: unknown top-level key {k}")
    for k in ("title", "description", "base_url", "hotline"):
        if k not in top_keys:
            problem(f"site.yaml: missing {k}")
    scam_keys, aud_keys = [], []
    section = None
    for line in site_text.split("\n"):
        if re.match(r"^[a-z_]+:", line):
            section = line.split(":")[0]
        m = re.match(r"^  - key: ([a-z0-9-]+)$", line)
        if m:
            (scam_keys if section == "scams" else aud_keys).append(m.group(1))
    if yaml is not None:
        site = yaml.safe_load(site_text)
        if set(site) - SITE_KEYS:
            problem(f"site.yaml: unknown keys {set(site) - SITE_KEYS}")
        for s in site["scams"] + site["audiences"]:
            if set(s) != {"key", "name", "description"}:
                problem(f"site.yaml: term fields {set(s)}")
        if set(site["hotline"]) != {"number", "label"}:
            problem("site.yaml: hotline fields")
        if [s["key"] for s in site["scams"]] != scam_keys or [a["key"] for a in site["audiences"]] != aud_keys:
            problem("site.yaml: line-based and PyYAML term keys differ")
        if site["base_url"] != "https://bench.example.vn" or site["paginate_by"] != 10 or site["theme"] != "default":
            problem("site.yaml: base_url/paginate_by/theme")
    if len(set(scam_keys)) != len(scam_keys) or len(set(aud_keys)) != len(aud_keys):
        problem("site.yaml: duplicate term keys")

    # ---- pages
    page_path = os.path.join(root, "content", "pages", "gioi-thieu.md")
    if not os.path.isfile(page_path):
        problem("missing content/pages/gioi-thieu.md")
    else:
        fm, _ = split_front_matter(page_path, read_text(page_path))
        if set(fm) - PAGE_KEYS or "title" not in fm:
            problem(f"{page_path}: bad page keys {set(fm)}")

    # ---- articles
    art_dir = os.path.join(root, "content", "articles")
    names = sorted(os.listdir(art_dir))
    slugs = {n[:-3] for n in names if n.endswith(".md")}
    titles: Counter[str] = Counter()
    stats: Counter[str] = Counter()
    word_counts, raw_counts, sizes = [], [], []
    years: Counter[int] = Counter()
    incoming: Counter[str] = Counter()
    all_keys = set()
    for name in names:
        path = os.path.join(art_dir, name)
        if not name.endswith(".md") or not os.path.isfile(path):
            problem(f"{path}: unexpected entry")
            continue
        slug = name[:-3]
        if not SLUG_RE.match(slug):
            problem(f"{path}: slug not ASCII lowercase-hyphen")
        text = read_text(path)
        sizes.append(len(text.encode("utf-8")))
        fm, body = split_front_matter(path, text)
        all_keys |= set(fm)
        for k in fm:
            if k not in ARTICLE_KEYS:
                problem(f"{path}: key {k} not in contracts.md")
        title = unquote(fm.get("title", ""))
        if not title:
            problem(f"{path}: no title")
        elif title.isascii():
            problem(f"{path}: title has no diacritics")
        titles[title] += 1
        d = parse_date(fm.get("date", ""))
        if d is None:
            problem(f"{path}: bad date {fm.get('date')!r}")
        else:
            years[d.year] += 1
            if not (dt.date(2019, 1, 1) <= d <= dt.date(2026, 12, 31)):
                problem(f"{path}: date {d} outside 2019-2026")
            if "T" in fm["date"]:
                stats["rfc3339_date"] += 1
        if "updated" in fm:
            stats["updated"] += 1
            u = parse_date(fm["updated"])
            if u is None or (d is not None and u <= d):
                problem(f"{path}: bad updated {fm['updated']!r}")
        if "summary" in fm:
            stats["summary"] += 1
            if not fm["summary"].startswith('"') or not unquote(fm["summary"]).strip():
                problem(f"{path}: bad summary")
        sc = flow_list(fm.get("scams", ""))
        au = flow_list(fm.get("audiences", ""))
        if not 1 <= len(sc) <= 3 or len(set(sc)) != len(sc) or any(k not in scam_keys for k in sc):
            problem(f"{path}: bad scams {sc}")
        if not 1 <= len(au) <= 2 or len(set(au)) != len(au) or any(k not in aud_keys for k in au):
            problem(f"{path}: bad audiences {au}")
        sev = fm.get("severity", "warning")
        if sev not in SEVERITIES:
            problem(f"{path}: bad severity {sev}")
        stats["severity_" + sev] += 1
        if "severity" not in fm:
            stats["severity_omitted"] += 1

        # body
        w = words(body)
        word_counts.append(w)
        raw_counts.append(len(body.split()))
        if not 600 <= w <= 900:
            problem(f"{path}: {w} words")
        if not 600 <= len(body.split()) <= 900:
            problem(f"{path}: {len(body.split())} whitespace tokens")
        h2 = re.findall(r"^## \S", body, flags=re.M)
        h3 = re.findall(r"^### \S", body, flags=re.M)
        if not 3 <= len(h2) <= 5:
            problem(f"{path}: {len(h2)} ## headings")
        if len(h3) < 1:
            problem(f"{path}: no ### heading")
        if not re.search(r"^- \S", body, flags=re.M):
            problem(f"{path}: no bulleted list")
        if not re.search(r"^1\. \S", body, flags=re.M):
            problem(f"{path}: no numbered list")
        table = [ln for ln in body.split("\n") if ln.startswith("|")]
        if len(table) != 5 or not re.match(r"^\|( --- \|)+$", table[1]):
            problem(f"{path}: table should be header + separator + 3 rows")
        if not re.search(r"\*\*[^*\n]+\*\*", body) or not re.search(r"(?<!\*)\*[^*\n]+\*(?!\*)", body):
            problem(f"{path}: missing bold or italic emphasis")
        ext = EXTERNAL_LINK_RE.findall(body)
        if not ext or not all(u.startswith("https://chongluadao.vn/") for u in ext):
            problem(f"{path}: external links {ext}")
        links = INTERNAL_LINK_RE.findall(body)
        if not (1 if len(slugs) > 1 else 0) <= len(links) <= 2:
            problem(f"{path}: {len(links)} internal links")
        for target in links:
            if target[:-3] == slug:
                problem(f"{path}: links to itself")
            elif target[:-3] not in slugs or "/" in target:
                problem(f"{path}: link target {target} does not exist")
            incoming[target[:-3]] += 1
        if "> [!" in body:
            stats["alert"] += 1
            if not re.search(r"^> \[!(WARNING|CAUTION|IMPORTANT)\]\n> \S", body, flags=re.M):
                problem(f"{path}: malformed alert")
        if "<!-- more -->" in body:
            stats["more_marker"] += 1
        stats["internal_links"] += len(links)
        if len(problems) >= 30:
            break

    n = len(word_counts)
    dup = [t for t, c in titles.items() if c > 1]
    if dup:
        problem(f"{len(dup)} duplicate titles, e.g. {dup[0]!r}")
    if not n:
        problem("no articles")
    else:
        print(f"articles: {n}, {sum(sizes) / 1e6:.1f} MB ({sum(sizes) / n / 1024:.1f} KiB/article)")
        print(f"words/article (letters-only tokens): avg {sum(word_counts) / n:.1f}, "
              f"min {min(word_counts)}, max {max(word_counts)}; whitespace tokens: "
              f"min {min(raw_counts)}, max {max(raw_counts)}")
        print("severity: " + ", ".join(f"{k[9:]} {100 * stats[k] / n:.1f}%" for k in
                                       ("severity_warning", "severity_urgent", "severity_info",
                                        "severity_omitted")) + " (omitted = default warning)")
        print(f"updated {100 * stats['updated'] / n:.1f}%, summary {100 * stats['summary'] / n:.1f}%, "
              f"alert {100 * stats['alert'] / n:.1f}%, <!-- more --> {100 * stats['more_marker'] / n:.1f}%, "
              f"RFC 3339 date {100 * stats['rfc3339_date'] / n:.1f}%")
        print(f"internal links: {stats['internal_links']} ({len(incoming)} distinct targets)")
        print("years: " + ", ".join(f"{y}: {years[y]}" for y in sorted(years)))
        print(f"front matter keys used: {', '.join(sorted(all_keys))}")
        print(f"PyYAML check: {'yes' if yaml is not None else 'skipped (not installed)'}")
    if problems:
        for p in problems[:30]:
            print("PROBLEM:", p, file=sys.stderr)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
