"""A Hugo project of the same shape as a generated catalogue (bench/catalogue_site.py):
the peer row of perf.py's catalogue rows.

    python bench/hugo_catalogue.py --products 1000 --root /tmp/sitegen-bench

writes /tmp/sitegen-bench/hugo-catalogue-1000/ from the catalogue's own feeds, in French
and English (`defaultContentLanguage = "fr"`, content files `<id>.fr.md` and
`<id>.en.md`):

- a page per product showing its picture, name, category, merchant, description,
  price (and the Double 11 price) formatted for the language by Hugo's
  `lang.FormatCurrency`, a link to the merchant's shop, and four of the merchant's
  other products as cards;
- a page per merchant and per category: Hugo taxonomies (`merchants`, `categories`),
  whose term pages show the merchant's story and list their products as cards, 24
  a page (`paginate = 24`), and the merchants' list page;
- the products section, 24 cards a page, and a home.

Every page has the same header, language switcher and footer around it, and a
stylesheet link; the cards are one partial, as sitegen's theme has them.
"""

from __future__ import annotations

import argparse
import csv
import shutil
from pathlib import Path

import yaml
from catalogue_site import make_catalogue

CONFIG = """\
baseURL = "https://double11.example.com/"
title = "Double 11"
defaultContentLanguage = "fr"
defaultContentLanguageInSubdir = true
paginate = 24
disableKinds = ["RSS"]
[taxonomies]
  merchant = "merchants"
  category = "categories"
[languages.fr]
  languageCode = "fr-FR"
  languageName = "Français"
  weight = 1
[languages.en]
  languageCode = "en-GB"
  languageName = "English"
  weight = 2
"""

BASEOF = """\
<!DOCTYPE html>
<html lang="{{ .Site.Language.Lang }}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ .Title }} · {{ .Site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}">
{{ range .AllTranslations }}
<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">
{{ end }}<link rel="stylesheet" href="/site.css"></head>
<body>
<header><nav aria-label="Languages"><ul>{{ range .AllTranslations }}
<li><a href="{{ .RelPermalink }}" hreflang="{{ .Language.Lang }}">
{{ .Language.LanguageName }}</a></li>{{ end }}
</ul></nav>
<a href="{{ "/" | relLangURL }}">{{ .Site.Title }}</a>
<nav aria-label="Main"><ul>
<li><a href="{{ "/merchants/" | relLangURL }}">Merchants</a></li>
<li><a href="{{ "/products/" | relLangURL }}">Products</a></li>
</ul></nav></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer><p>{{ .Site.Title }}</p></footer>
</body></html>
"""

CARD = """\
<article class="product-card">
<img src="/{{ .Params.image }}" alt="{{ .Title }}" width="320" height="240" loading="lazy">
<p class="tag">{{ index .Params.categories 0 }}</p>
<h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>
<p>{{ .Params.description }}</p>
{{ partial "price.html" . }}
</article>
"""

PRICE = """\
{{ $currency := .Params.currency | default "EUR" }}
<p class="price">{{ with .Params.sale_price }}
<span>{{ lang.FormatCurrency 2 $currency . }}</span>
<s>{{ lang.FormatCurrency 2 $currency $.Params.price }}</s>
{{ else }}<span>{{ lang.FormatCurrency 2 $currency .Params.price }}</span>{{ end }}</p>
"""

SINGLE = """\
{{ define "main" }}
<article>
<img src="/{{ .Params.image }}" alt="{{ .Title }}" width="480" height="360">
{{ $merchant := index .Params.merchants 0 }}
<p><a href="{{ (printf "/merchants/%s/" $merchant) | relLangURL }}">{{ $merchant }}</a></p>
<h1>{{ .Title }}</h1>
<p>{{ .Params.description }}</p>
{{ partial "price.html" . }}
<p><a href="{{ .Params.shop }}" rel="external">Buy</a></p>
{{ $mine := (index .Site.Taxonomies.merchants $merchant).Pages }}
{{ $others := where $mine "Permalink" "!=" .Permalink }}
<section><h2>More from {{ $merchant }}</h2><ul>
{{ range first 4 $others }}<li>{{ partial "card.html" . }}</li>{{ end }}
</ul></section>
</article>
{{ end }}
"""

LIST = """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
{{ $pager := .Paginate .Pages }}
<ul>{{ range $pager.Pages }}<li>
{{ if eq .Section "products" }}{{ partial "card.html" . }}
{{ else }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
</li>{{ end }}</ul>
{{ template "_internal/pagination.html" . }}
{{ end }}
"""

TERM = """\
{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ .Content }}
{{ $pager := .Paginate .Pages }}
<ul>{{ range $pager.Pages }}<li>{{ partial "card.html" . }}</li>{{ end }}</ul>
{{ template "_internal/pagination.html" . }}
{{ end }}
"""

HOME = """\
{{ define "main" }}
<h1>{{ .Site.Title }}</h1>
{{ $deals := first 8 (where .Site.RegularPages "Section" "products") }}
<ul>{{ range $deals }}<li>{{ partial "card.html" . }}</li>{{ end }}</ul>
{{ end }}
"""


def make_hugo_catalogue(products: int, root: Path) -> Path:
    """The Hugo project for `products` products under `root` (made once, reused)."""
    project = root / f"hugo-catalogue-{products}"
    if (project / "config.toml").is_file():
        return project
    shutil.rmtree(project, ignore_errors=True)
    site = make_catalogue(products, root)
    files = {
        "config.toml": CONFIG,
        "layouts/_default/baseof.html": BASEOF,
        "layouts/_default/single.html": SINGLE,
        "layouts/_default/list.html": LIST,
        "layouts/_default/term.html": TERM,
        "layouts/index.html": HOME,
        "layouts/partials/card.html": CARD,
        "layouts/partials/price.html": PRICE,
        "static/site.css": "body{font-family:system-ui}\n",
    }
    for lang, products_title, merchants_title in (
        ("fr", "Les produits", "Les marchands"),
        ("en", "Products", "Merchants"),
    ):
        files[f"content/products/_index.{lang}.md"] = f"---\ntitle: {products_title}\n---\n"
        files[f"content/_index.{lang}.md"] = "---\ntitle: Double 11\n---\n"
        files[f"content/merchants/_index.{lang}.md"] = f"---\ntitle: {merchants_title}\n---\n"
    for relative, text in files.items():
        path = project / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    shutil.copytree(site / "static" / "img", project / "static" / "img")
    _write_products(site, project)
    _write_merchants(site, project)
    return project


def _write_products(site: Path, project: Path) -> None:
    folder = project / "content" / "products"
    with (site / "data" / "products.csv").open(encoding="utf-8") as feed:
        for row in csv.DictReader(feed):
            for lang in ("fr", "en"):
                front = {
                    "title": row[f"name.{lang}"],
                    "description": row[f"description.{lang}"],
                    "merchants": [row["merchant"]],
                    "categories": [row["category"]],
                    "price": float(row["price"]),
                    "currency": row["currency"],
                    "image": row["image"],
                    "shop": row["url"],
                }
                if row["sale_price"]:
                    front["sale_price"] = float(row["sale_price"])
                text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n"
                (folder / f"{row['id']}.{lang}.md").write_text(text, "utf-8")


def _write_merchants(site: Path, project: Path) -> None:
    """Each merchant's term page gets the merchant's name and story above its products
    (content/merchants/<id>/_index.<lang>.md: a taxonomy term's own content)."""
    merchants = yaml.safe_load((site / "data" / "merchants.yaml").read_text("utf-8"))
    for merchant in merchants:
        folder = project / "content" / "merchants" / merchant["id"]
        folder.mkdir(parents=True, exist_ok=True)
        story = merchant.get("story") or ""
        for lang in ("fr", "en"):
            text = story.get(lang, "") if isinstance(story, dict) else str(story)
            front = {"title": merchant["name"]}
            (folder / f"_index.{lang}.md").write_text(
                "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + text + "\n",
                "utf-8",
            )


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("--products", type=int, default=1000)
    arguments.add_argument("--root", type=Path, default=Path("/tmp/sitegen-bench"))
    options = arguments.parse_args()
    print(make_hugo_catalogue(options.products, options.root))


if __name__ == "__main__":
    main()
