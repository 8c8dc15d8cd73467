"""Turn the shared benchmark corpus into a sitegen site with the peers' tiny layout.

    python bench/corpus_site.py --n 1000 --root /tmp/sitegen-bench

writes /tmp/sitegen-bench/corpus-1000/ (the corpus, from ../shared/bench/gen_corpus.py)
and /tmp/sitegen-bench/site-1000/ (site.yaml, content/*.md listed by the home, templates/).

The posts are copied as they are but for one line: their `tags:` go under `params:`,
where sitegen takes the keys of a site's own (an unknown front-matter key is an
error, as in Zola, whose pages keep theirs under `[extra]`).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

GENERATOR = Path(__file__).resolve().parents[2] / "shared" / "bench" / "gen_corpus.py"

SITE_YAML = """\
title: Bench
base_url: https://bench.example/
languages:
  - code: en
    locale: en_GB
timezone: UTC
root_page: default_language
"""

# The same page as the peers' layouts: title, a link home, the heading, the date, the body.
BASE = """\
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{% block title %}{% endblock %}</title></head>
<body><nav><a href="/">Home</a></nav>
<main>{% block main %}{% endblock %}</main></body></html>
"""
PAGE = """\
{% extends "base.html" %}
{% block title %}{{ page.title }} | Bench{% endblock %}
{% block main %}<article><h1>{{ page.title }}</h1>
<p><time>{{ page.date.date().isoformat() }}</time></p>
{{ page.content }}
</article>{% endblock %}
"""
HOME = """\
{% extends "base.html" %}
{% block title %}Bench{% endblock %}
{% block main %}<h1>All pages</h1><ul>
{% for child in page.children %}<li><a href="{{ child.url }}">{{ child.title }}</a></li>
{% endfor %}</ul>{% endblock %}
"""


_TAGS = re.compile(r"^tags: (.*)$", re.MULTILINE)


def make_site(n: int, root: Path, theme: str | None = None) -> Path:
    """The site for `n` pages under `root` (made once, reused while it exists), with
    the peers' tiny layout, or with a bundled theme (`theme`) instead."""
    site = root / (f"site-{n}" if theme is None else f"site-{n}-{theme}")
    if (site / "site.yaml").is_file():
        return site
    corpus_root = root / f"corpus-{n}"
    subprocess.run(
        [
            sys.executable,
            str(GENERATOR),
            "--n",
            str(n),
            "--root",
            str(corpus_root),
            "--tools",
            "hugo",
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    content = site / "content"
    shutil.copytree(corpus_root / "corpus" / "posts", content)
    for post in content.glob("*.md"):
        text = post.read_text("utf-8")
        post.write_text(_TAGS.sub(r"params: {tags: \1}", text, count=1), "utf-8")
    (content / "index.md").write_text("---\ntitle: Bench\n---\n", "utf-8")
    if theme is not None:
        (site / "site.yaml").write_text(f"{SITE_YAML}theme: {theme}\n", "utf-8")
        return site
    templates = site / "templates"
    templates.mkdir(parents=True)
    (templates / "base.html").write_text(BASE, "utf-8")
    (templates / "page.html").write_text(PAGE, "utf-8")
    (templates / "home.html").write_text(HOME, "utf-8")
    (site / "site.yaml").write_text(SITE_YAML, "utf-8")
    return site


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__)
    arguments.add_argument("--n", type=int, default=1000)
    arguments.add_argument("--root", type=Path, default=Path("/tmp/sitegen-bench"))
    options = arguments.parse_args()
    print(make_site(options.n, options.root))


if __name__ == "__main__":
    main()
