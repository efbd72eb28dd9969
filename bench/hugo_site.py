#!/usr/bin/env python3
"""Turn a canhbao benchmark corpus (bench/gen_corpus.py) into the same site for Hugo.

Usage: python3 bench/hugo_site.py CORPUS OUTDIR

The articles keep their YAML front matter (Hugo reads it as is: title, date, summary, and the
`scams` and `audiences` lists become Hugo taxonomies); they go to OUTDIR/content/canh-bao/ so
that both tools publish /canh-bao/<slug>/. Pages go to OUTDIR/content/. The templates are the
minimal ones in bench/hugo/layouts (home, lists and term pages paginated by 10 like canhbao,
article pages, RSS and sitemap as Hugo makes them by default).

Only the Python 3.11 standard library is used.
"""

from __future__ import annotations

import os
import shutil
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

CONFIG = """baseURL = "https://bench.example.vn/"
languageCode = "vi"
title = "Cảnh báo lừa đảo (bộ dữ liệu thử hiệu năng)"
disableKinds = []
[pagination]
  pagerSize = 10
[taxonomies]
  scam = "scams"
  audience = "audiences"
[permalinks]
  [permalinks.page]
    canh-bao = "/canh-bao/:contentbasename/"
  [permalinks.taxonomy]
    scams = "/thu-doan/"
    audiences = "/doi-tuong/"
  [permalinks.term]
    scams = "/thu-doan/:slug/"
    audiences = "/doi-tuong/:slug/"
"""


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    corpus, out = sys.argv[1], sys.argv[2]
    src = os.path.join(corpus, "content", "articles")
    if not os.path.isdir(src):
        print(f"hugo_site: {src} is not a folder", file=sys.stderr)
        return 1
    if os.path.exists(out):
        shutil.rmtree(out)
    articles = os.path.join(out, "content", "canh-bao")
    os.makedirs(articles)
    for name in sorted(os.listdir(src)):
        if name.endswith(".md"):
            shutil.copyfile(os.path.join(src, name), os.path.join(articles, name))
    pages = os.path.join(corpus, "content", "pages")
    if os.path.isdir(pages):
        for name in sorted(os.listdir(pages)):
            if name.endswith(".md"):
                shutil.copyfile(os.path.join(pages, name), os.path.join(out, "content", name))
    with open(os.path.join(out, "hugo.toml"), "w", encoding="utf-8") as f:
        f.write(CONFIG)
    shutil.copytree(os.path.join(HERE, "hugo", "layouts"), os.path.join(out, "layouts"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
