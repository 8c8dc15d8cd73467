"""The bundled example site with a generated catalogue: the bundled `double11` theme
building a real-size product feed.

    python bench/catalogue_site.py --products 1000 --root /tmp/sitegen-bench

writes /tmp/sitegen-bench/catalogue-1000/: the example's site.yaml, content/, static/,
data/categories.yaml and data/stats.yaml, with data/merchants.yaml and
data/products.csv grown to about one merchant per 40 products (the example's eight
merchants first, which its landing page names), spread over the example's four
categories, with French and English names and descriptions.
"""

from __future__ import annotations

import argparse
import csv
import shutil
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
PRODUCTS_PER_MERCHANT = 40
CATEGORIES = ("fashion", "cosmetics", "home", "sport")
KINDS = {
    # (French name, English name, picture under static/img/products/)
    "fashion": (
        ("Carré de soie", "Silk square", "scarf"),
        ("Marinière", "Breton top", "shirt"),
        ("Sac", "Bag", "bag"),
        ("Ciré", "Raincoat", "raincoat"),
        ("Baskets", "Trainers", "shoe"),
    ),
    "cosmetics": (
        ("Eau de parfum", "Eau de parfum", "perfume"),
        ("Savon", "Soap", "soap"),
        ("Crème", "Cream", "jar"),
    ),
    "home": (
        ("Lampe", "Lamp", "lamp"),
        ("Assiette", "Plate", "plate"),
        ("Vase", "Vase", "vase"),
        ("Théière", "Teapot", "teapot"),
        ("Tabouret", "Stool", "stool"),
        ("Étagère", "Shelf", "shelf"),
    ),
    "sport": (
        ("Planche", "Board", "surfboard"),
        ("Combinaison", "Wetsuit", "wetsuit"),
        ("Sac à dos", "Backpack", "backpack"),
        ("Bâtons", "Poles", "poles"),
        ("Poncho", "Poncho", "poncho"),
    ),
}
"""What a generated product is: its name and the picture that shows it."""
CITIES = ("Lyon", "Grasse", "Limoges", "Biarritz", "Saint-Malo", "Annecy", "Nantes", "Lille")


def make_catalogue(products: int, root: Path) -> Path:
    """The site with `products` products under `root` (made once, reused while it exists)."""
    site = root / f"catalogue-{products}"
    if (site / "site.yaml").is_file():
        return site
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir(parents=True)
    shutil.copy(REPO / "site.yaml", site / "site.yaml")
    for folder in ("content", "static"):
        shutil.copytree(REPO / folder, site / folder)
    (site / "data").mkdir()
    for name in ("categories.yaml", "stats.yaml"):
        shutil.copy(REPO / "data" / name, site / "data" / name)
    merchants = _merchants(max(8, round(products / PRODUCTS_PER_MERCHANT)))
    (site / "data" / "merchants.yaml").write_text(
        yaml.safe_dump(merchants, allow_unicode=True, sort_keys=False), "utf-8"
    )
    _write_products(site / "data" / "products.csv", products, merchants)
    return site


def _merchants(count: int) -> list[dict[str, object]]:
    """The example's merchants, then generated ones, in the categories in turn."""
    example = yaml.safe_load((REPO / "data" / "merchants.yaml").read_text("utf-8"))
    merchants: list[dict[str, object]] = list(example[:count])
    logos = [str(merchant["logo"]) for merchant in example]
    for index in range(len(merchants), count):
        category = CATEGORIES[index % len(CATEGORIES)]
        city = CITIES[index % len(CITIES)]
        since = 1990 + index % 30
        merchants.append(
            {
                "id": f"maison-{index + 1:04d}",
                "name": f"Maison {index + 1}",
                "category": category,
                "city": city,
                "logo": logos[index % len(logos)],
                "since": since,
                "url": f"https://example.com/maison-{index + 1:04d}",
                "story": {
                    "fr": f"Un atelier de {city} qui fabrique en France depuis {since}.",
                    "en": f"A workshop in {city} making things in France since {since}.",
                },
            }
        )
    return merchants


def _write_products(path: Path, products: int, merchants: list[dict[str, object]]) -> None:
    header = [
        *("id", "merchant", "category", "name.fr", "name.en", "description.fr"),
        *("description.en", "price", "currency", "sale_price", "reference_price", "image"),
        *("offer_ends", "url"),
        "tags",
    ]
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for index in range(products):
            merchant = merchants[index * len(merchants) // products]
            category = str(merchant["category"])
            french, english, picture = KINDS[category][index % len(KINDS[category])]
            cents = 1000 + (index * 7919) % 20000
            on_sale = index % 3 != 2
            writer.writerow(
                [
                    f"{merchant['id']}-{index + 1:05d}",
                    merchant["id"],
                    category,
                    f"{french} n° {index + 1}",
                    f"{english} no. {index + 1}",
                    f"{french}, fait main chez {merchant['name']}.",
                    f"{english}, handmade by {merchant['name']}.",
                    f"{cents // 100}.{cents % 100:02d}",
                    "EUR",
                    f"{cents * 7 // 1000}.{cents * 7 // 10 % 100:02d}" if on_sale else "",
                    f"{cents // 100}.{cents % 100:02d}" if on_sale else "",
                    f"img/products/{picture}.svg",
                    "2027-11-12T00:00+08:00" if on_sale else "",
                    f"https://example.com/{merchant['id']}/{index + 1}",
                    "cadeau|france" if index % 5 == 0 else "france",
                ]
            )


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    arguments.add_argument("--products", type=int, default=1000)
    arguments.add_argument("--root", type=Path, default=Path("/tmp/sitegen-bench"))
    options = arguments.parse_args()
    print(make_catalogue(options.products, options.root))


if __name__ == "__main__":
    main()
