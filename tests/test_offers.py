"""Offers follow time (issue 17): the bundled example built before, during and after
its offers shows a reduction only while it applies, worked out from the reference
price; the feed rules of offers; `sitegen schedule`; and in Chromium, prices that
switch when an offer starts or ends, without a reload.

Expectations come from data/products.csv and site.yaml read here with csv and yaml,
not from sitegen."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import replace
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml
from bs4 import Tag
from playwright.sync_api import Browser, Page

from sitegen.base.errors import SiteError
from sitegen.settings import offers
from sitegen.settings.config import SiteConfig, load_config
from sitegen.settings.offers import offer_of
from tests.conftest import REPO, copy_example, parse_html, run_sitegen, serve, snapshot

LANGS = ("fr", "en")
SECOND = dt.timedelta(seconds=1)
PARIS = dt.timezone(dt.timedelta(hours=1))
CAMPAIGN = yaml.safe_load((REPO / "site.yaml").read_text("utf-8"))["campaign"]
BEIJING = dt.timezone(dt.timedelta(hours=8))  # campaign.timezone, Asia/Shanghai: no DST
OFFERS_OPEN = next(
    dt.datetime.fromisoformat(str(p["starts"])).replace(tzinfo=BEIJING)
    for p in CAMPAIGN["phases"]
    if p["name"] == "live"
)
CAMPAIGN_ENDS = dt.datetime.fromisoformat(str(CAMPAIGN["ends"])).replace(tzinfo=BEIJING)
INSTANTS = {
    "before": OFFERS_OPEN - dt.timedelta(days=3),
    "during": OFFERS_OPEN + dt.timedelta(hours=12),
    "after": CAMPAIGN_ENDS + dt.timedelta(days=1),
}


def products() -> list[dict[str, str]]:
    with (REPO / "data" / "products.csv").open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


ROWS = {row["id"]: row for row in products()}
ON_OFFER = [row for row in ROWS.values() if row["sale_price"]]


def test_the_example_gives_reference_prices() -> None:
    """site.yaml requires them (offers.reference_price), and the feed gives them."""
    settings = yaml.safe_load((REPO / "site.yaml").read_text("utf-8"))
    assert settings["offers"]["reference_price"] == "required"
    assert ON_OFFER and all(row["reference_price"] for row in ON_OFFER)
    assert any(Decimal(row["reference_price"]) < Decimal(row["price"]) for row in ON_OFFER)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, example_site: Path) -> Callable[[str], Path]:
    """The example built at one of INSTANTS (once each)."""
    outputs: dict[str, Path] = {}

    def at(moment: str) -> Path:
        if moment not in outputs:
            output = tmp_path_factory.mktemp(f"offers-{moment}") / "output"
            now = INSTANTS[moment].isoformat()
            result = run_sitegen("build", example_site, "--output", output, "--now", now)
            assert result.returncode == 0, result.stderr
            outputs[moment] = output
        return outputs[moment]

    return at


def is_hidden(element: Tag) -> bool:
    return element.has_attr("hidden") or any(p.has_attr("hidden") for p in element.parents)


def shown(root: Tag, selector: str) -> list[Tag]:
    return [element for element in root.select(selector) if not is_hidden(element)]


def amount(price: Tag | str) -> Decimal:
    """A price as either language writes it ("1 299,90 €", "€1,299.90") as a Decimal;
    in an element, its text for the eyes (not the labels for screen readers)."""
    text = (
        price
        if isinstance(price, str)
        else "".join(
            piece
            for piece in price.find_all(string=True)
            if not any("visually-hidden" in (p.get("class") or []) for p in piece.parents)
        )
    )
    digits = re.sub(r"[^\d,.]", "", text)
    if "," in digits and re.search(r",\d{2}$", digits):  # French: decimal comma
        digits = digits.replace(".", "").replace(",", ".")
    return Decimal(digits.replace(",", ""))


def percent(sale: Decimal, was: Decimal) -> int:
    return int((100 * (1 - sale / was)).quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def product_pages(output: Path, lang: str) -> dict[str, Path]:
    return {
        path.parent.name: path
        for path in output.glob(f"{lang}/*/*/index.html")
        if path.parent.name in ROWS
        and parse_html(path).select_one("main .product-page") is not None
    }


def all_cards(output: Path) -> Iterator[tuple[Path, str, Tag]]:
    """(file, product id, card) for every product card of every page."""
    for path in sorted(output.rglob("*.html")):
        for card in parse_html(path).select("article.product-card"):
            yield path, card["aria-labelledby"].removeprefix("product-"), card


def product_ld(path: Path) -> dict:
    soup = parse_html(path)
    found = [
        json.loads(script.string)
        for script in soup.find_all("script", type="application/ld+json")
        if json.loads(script.string).get("@type") == "Product"
    ]
    assert len(found) == 1, path
    return found[0]


@pytest.mark.parametrize("moment", ["before", "after"])
def test_outside_the_offers_no_reduction_is_shown(
    built: Callable[[str], Path], moment: str
) -> None:
    output = built(moment)
    cards = list(all_cards(output))
    assert len({product for _, product, _ in cards}) == len(ROWS), "every product has a card"
    for path, product, card in cards:
        regular = Decimal(ROWS[product]["price"])
        assert [amount(p) for p in shown(card, ".price__now")] == [regular], path
        for reduction in (".price__was", ".price__badge", ".product-card__flag", "s"):
            assert shown(card, reduction) == [], (path, product, reduction)
            if moment == "after":
                assert card.select(reduction) == [], "after the offer, not even hidden"
        assert shown(card, ".product-card__until:not(.product-card__opens)") == []
        opening = shown(card, ".product-card__opens")
        if moment == "before" and ROWS[product]["sale_price"]:
            assert len(opening) == 1 and re.search(r"\b10\s", opening[0].get_text()), path
        else:
            assert opening == [], (path, product)
    for lang in LANGS:
        pages = product_pages(output, lang)
        assert set(pages) == set(ROWS)
        for product, path in pages.items():
            main = parse_html(path).find("main")
            assert shown(main, ".product-page__saving, .product-page__until, s") == []
            offer = product_ld(path)["offers"]
            assert offer["price"] == ROWS[product]["price"], (lang, product)
            assert "priceSpecification" not in offer and "priceValidUntil" not in offer
    if moment == "after":
        for path in output.rglob("*.html"):
            assert "data-offer=" not in path.read_text("utf-8"), path


def test_before_the_offers_the_product_page_says_when_they_open(
    built: Callable[[str], Path],
) -> None:
    output = built("before")
    row = ON_OFFER[0]
    french = parse_html(product_pages(output, "fr")[row["id"]]).find("main")
    note = shown(french, ".product-page__opens")
    assert len(note) == 1
    text = " ".join(note[0].get_text().split()).replace("\u202f", " ").replace("\u00a0", " ")
    assert "10 novembre 2027, 17 h" in text and "heure de Paris" in text, text
    assert note[0].find("time")["datetime"] == OFFERS_OPEN.isoformat()


def test_during_the_offers_the_reduction_is_from_the_reference_price(
    built: Callable[[str], Path],
) -> None:
    output = built("during")
    for path, product, card in all_cards(output):
        row = ROWS[product]
        now = [amount(p) for p in shown(card, ".price__now")]
        if not row["sale_price"]:
            assert now == [Decimal(row["price"])] and card.select("[data-offer]") == []
            continue
        sale, was = Decimal(row["sale_price"]), Decimal(row["reference_price"])
        assert now == [sale], (path, product)
        assert [amount(s) for s in shown(card, "s")] == [was], (path, product)
        badge = shown(card, ".price__badge")[0].get_text()
        assert int(re.search(r"\d+", badge).group()) == percent(sale, was), badge
        assert shown(card, ".product-card__flag")
    for lang in LANGS:
        for product, path in product_pages(output, lang).items():
            row = ROWS[product]
            offer = product_ld(path)["offers"]
            main = parse_html(path).find("main")
            if not row["sale_price"]:
                assert offer["price"] == row["price"] and "priceSpecification" not in offer
                continue
            assert offer["price"] == row["sale_price"], (lang, product)
            strike = [
                spec
                for spec in offer["priceSpecification"]
                if spec.get("priceType") == "https://schema.org/StrikethroughPrice"
            ]
            assert [spec["price"] for spec in strike] == [row["reference_price"]]
            assert offer["priceValidUntil"] == "2027-11-11"  # 17:00 in Paris, the end
            assert dt.datetime.fromisoformat(offer["validFrom"]) == OFFERS_OPEN
            assert len(shown(main, ".product-page__reference")) == 1, (lang, product)
            assert shown(main, ".product-page__opens") == []


def test_the_reference_price_is_labelled_in_both_languages(built: Callable[[str], Path]) -> None:
    row = ON_OFFER[0]
    texts = {
        lang: " ".join(
            parse_html(product_pages(built("during"), lang)[row["id"]])
            .select_one(".product-page__reference")
            .get_text()
            .split()
        )
        for lang in LANGS
    }
    assert "prix de référence" in texts["fr"] and "30 jours" in texts["fr"], texts["fr"]
    assert "reference price" in texts["en"] and "30 days" in texts["en"], texts["en"]


# ---------- the feed's offer rules ----------


def write_products(site: Path, change: Callable[[list[dict[str, str]]], None]) -> None:
    rows = products()
    change(rows)
    with (site / "data" / "products.csv").open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def column(name: str) -> int:
    return list(products()[0]).index(name) + 1


@pytest.fixture
def example(tmp_path: Path) -> Iterator[tuple[Path, Path, dict[str, bytes]]]:
    """A copy of the example, built once: (site, output, the output's files)."""
    site = copy_example(tmp_path / "site")
    output = tmp_path / "output"
    result = run_sitegen("build", site, "--output", output, "--now", INSTANTS["during"])
    assert result.returncode == 0, result.stderr
    yield site, output, snapshot(output)


def fails_with(example: tuple[Path, Path, dict[str, bytes]], *errors: str) -> None:
    """The build stops with exactly these error lines, and the output stays whole."""
    site, output, before = example
    result = run_sitegen("build", site, "--output", output, "--now", INSTANTS["during"])
    assert result.returncode == 1, result.stdout
    assert "Traceback" not in result.stderr
    said = [
        line.replace(f"{site}/", "")
        for line in result.stderr.splitlines()
        if line.startswith("error: ")
    ]
    assert said == list(errors), result.stderr
    assert snapshot(output) == before


def test_a_reference_price_above_the_price_is_refused(example: tuple) -> None:
    def change(rows: list[dict[str, str]]) -> None:
        rows[0]["reference_price"] = "99.00"  # the price is 89.90

    write_products(example[0], change)
    fails_with(
        example,
        f"error: data/products.csv:2:{column('reference_price')}: "
        "the reference price 99.00 is above the price 89.90",
    )


def test_a_sale_price_not_below_the_reference_price_is_refused(example: tuple) -> None:
    def change(rows: list[dict[str, str]]) -> None:
        rows[0]["reference_price"] = rows[0]["sale_price"]

    write_products(example[0], change)
    sale = ROWS[products()[0]["id"]]["sale_price"]
    fails_with(
        example,
        f"error: data/products.csv:2:{column('sale_price')}: "
        f"the sale price {sale} is not below the reference price {sale}",
    )


def test_a_missing_reference_price_is_an_error_when_the_site_requires_it(
    example: tuple,
) -> None:
    def change(rows: list[dict[str, str]]) -> None:
        rows[3]["reference_price"] = ""

    write_products(example[0], change)
    fails_with(
        example,
        f"error: data/products.csv:5:{column('sale_price')}: "
        "this product is on offer but has no 'reference_price'",
    )


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("2027-11-11", "the date 2027-11-11 (a time is needed too)"),
        ("11/11/2027", "'11/11/2027'"),
    ],
)
def test_an_offer_end_must_be_a_date_and_time(example: tuple, written: str, said: str) -> None:
    def change(rows: list[dict[str, str]]) -> None:
        rows[1]["offer_ends"] = written

    write_products(example[0], change)
    fails_with(
        example,
        f"error: data/products.csv:3:{column('offer_ends')}: "
        f"'offer_ends' must be a date and time, not {said}",
    )


def test_an_offer_that_ends_before_it_opens_is_refused(example: tuple) -> None:
    def change(rows: list[dict[str, str]]) -> None:
        rows[0]["offer_ends"] = "2027-11-01 00:00"  # Paris time, before the live phase

    write_products(example[0], change)
    fails_with(
        example,
        f"error: data/products.csv:2:{column('offer_ends')}: the offer ends "
        "(2027-11-01T00:00:00+01:00) before it starts (2027-11-10T17:00:00+01:00)",
    )


def test_a_product_offer_can_open_and_end_on_its_own_dates(example: tuple) -> None:
    """offer_starts and offer_ends move one product's window; the page depends on them."""
    site, output, _ = example
    first = products()[0]["id"]

    def change(rows: list[dict[str, str]]) -> None:
        rows[0]["offer_starts"] = "2027-11-11 12:00"  # Paris: after INSTANTS["during"]
        rows[0]["offer_ends"] = "2027-11-11 14:00"

    write_products(site, change)
    result = run_sitegen("build", site, "--output", output, "--now", INSTANTS["during"])
    assert result.returncode == 0, result.stderr
    main = parse_html(product_pages(output, "fr")[first]).find("main")
    assert [amount(p) for p in shown(main, ".product-page__price .price__now")] == [
        Decimal(ROWS[first]["price"])
    ]
    assert main.select_one(".product-page__opens time")["datetime"] == ("2027-11-11T12:00:00+01:00")
    schedule = run_sitegen(
        "schedule", site, "--now", INSTANTS["during"].isoformat(), "--format", "json"
    )
    changes = json.loads(schedule.stdout)["changes"]
    opening = [c for c in changes if c["kind"] == "offer_starts"]
    assert [(c["at"], [p["id"] for p in c["products"]]) for c in opening] == [
        ("2027-11-11T12:00:00+01:00", [first])
    ]


def test_schedule_lists_when_offers_open_and_end_one_line_per_instant() -> None:
    now = (INSTANTS["before"]).isoformat()
    result = run_sitegen("schedule", REPO, "--now", now, "--format", "json")
    assert result.returncode == 0, result.stderr
    changes = json.loads(result.stdout)["changes"]
    offers = [c for c in changes if c["kind"] in ("offer_starts", "offer_ends")]
    assert [(dt.datetime.fromisoformat(c["at"]), c["kind"]) for c in offers] == [
        (OFFERS_OPEN, "offer_starts"),
        (CAMPAIGN_ENDS, "offer_ends"),
    ]
    lines = {row["id"]: number for number, row in enumerate(products(), start=2)}
    for change in offers:
        assert [(p["id"], p["line"]) for p in change["products"]] == [
            (row["id"], lines[row["id"]]) for row in ON_OFFER
        ]
    text = run_sitegen("schedule", REPO, "--now", now).stdout
    assert re.search(rf"the offers of {len(ON_OFFER)} products start: 'lumen-carre-rhone'", text)
    assert f"and {len(ON_OFFER) - 5} more  (data/products.csv:2)" in text


# ---------- in the browser ----------


@pytest.mark.parametrize(
    ("moment", "boundary", "before", "after"),
    [("before", OFFERS_OPEN, "regular", "sale"), ("during", CAMPAIGN_ENDS, "sale", "regular")],
)
def test_prices_switch_live_when_an_offer_opens_or_ends(
    browser: Browser,
    built: Callable[[str], Path],
    moment: str,
    boundary: dt.datetime,
    before: str,
    after: str,
) -> None:
    row = ON_OFFER[0]
    expected = {
        "regular": Decimal(row["price"]),
        "sale": Decimal(row["sale_price"]),
    }
    output = built(moment)
    relative = product_pages(output, "en")[row["id"]].relative_to(output).parent.as_posix()
    context = browser.new_context()
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    with serve(output) as url:
        # held from before the load, so that a slow load cannot cross the boundary
        page.clock.install(time=boundary - 8 * SECOND)
        page.clock.pause_at(boundary - 3 * SECOND)
        page.goto(f"{url}/{relative}/")
        page.clock.run_for(1000)
        page.evaluate("window.notReloaded = true")
        assert visible_prices(page) == [expected[before]]
        page.clock.run_for(4000)
        assert visible_prices(page) == [expected[after]]
        assert page.evaluate("window.notReloaded === true")
        assert page.locator(".product-page__offer").is_visible() == (after == "sale")
    assert errors == []
    context.close()


def visible_prices(page: Page) -> list[Decimal]:
    texts = page.eval_on_selector_all(
        ".product-page__price .price__now",
        """els => els.filter((e) => e.checkVisibility()).map((e) => {
            const shown = e.cloneNode(true);  // the text for the eyes, without the labels
            shown.querySelectorAll('.visually-hidden').forEach((label) => label.remove());
            return shown.textContent;
        })""",
    )
    return [amount(text) for text in texts]


# ---------- the rules, on their own ----------

SITE = """\
title: Soldes
base_url: https://shop.example.com/
languages: [fr, en]
timezone: Europe/Paris
campaign:
  timezone: Asia/Shanghai
  phases:
    - {name: teaser, starts: 2027-10-20 00:00}
    - {name: live, starts: 2027-11-11 00:00}
  ends: 2027-11-12 00:00
"""


def config_with(tmp_path: Path, extra: str = "") -> SiteConfig:
    (tmp_path / "site.yaml").write_text(SITE + extra, encoding="utf-8")
    return load_config(tmp_path)


PRODUCT = {"price": Decimal("100.00"), "sale_price": Decimal("70.00")}


@pytest.mark.parametrize(
    ("now", "state"),
    [
        (OFFERS_OPEN - dt.timedelta(microseconds=1), "upcoming"),
        (OFFERS_OPEN, "running"),
        (CAMPAIGN_ENDS - dt.timedelta(microseconds=1), "running"),
        (CAMPAIGN_ENDS, "ended"),
    ],
)
def test_an_offer_runs_from_the_live_phase_to_the_campaign_end(
    tmp_path: Path, now: dt.datetime, state: str
) -> None:
    offer = offer_of(PRODUCT, config_with(tmp_path), now)
    assert offer is not None
    assert (offer.starts, offer.ends, offer.state) == (OFFERS_OPEN, CAMPAIGN_ENDS, state)
    assert offer.last_day == dt.date(2027, 11, 11)  # ends at 17:00 on the 11th in Paris


def test_the_percentage_is_of_the_reference_price(tmp_path: Path) -> None:
    config = config_with(tmp_path)
    plain = offer_of(PRODUCT, config, OFFERS_OPEN)
    referenced = offer_of({**PRODUCT, "reference_price": Decimal("80.00")}, config, OFFERS_OPEN)
    assert plain is not None and referenced is not None
    assert (plain.was, plain.percent_off, plain.saving) == (
        Decimal("100.00"),
        Decimal("0.3"),
        Decimal("30.00"),
    )
    assert (referenced.was, referenced.percent_off, referenced.saving) == (
        Decimal("80.00"),
        Decimal("0.125"),
        Decimal("10.00"),
    )


def test_no_sale_price_no_offer(tmp_path: Path) -> None:
    config = config_with(tmp_path)
    assert offer_of({"price": Decimal("10")}, config, OFFERS_OPEN) is None
    assert offer_of({"price": 10, "sale_price": 10}, config, OFFERS_OPEN) is None
    yaml_numbers = offer_of({"price": 10, "sale_price": 7.5}, config, OFFERS_OPEN)
    assert yaml_numbers is not None and yaml_numbers.sale_price == Decimal("7.5")


def test_without_a_campaign_an_offer_always_runs(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text(SITE.split("campaign:")[0], encoding="utf-8")
    offer = offer_of(PRODUCT, load_config(tmp_path), OFFERS_OPEN)
    assert offer is not None
    assert (offer.starts, offer.ends, offer.state, offer.last_day) == (None, None, "running", None)


def test_offers_may_open_with_another_phase(tmp_path: Path) -> None:
    config = config_with(tmp_path, "offers: {opens_with: teaser}\n")
    offer = offer_of(PRODUCT, config, OFFERS_OPEN)
    assert offer is not None
    assert offer.starts == dt.datetime(2027, 10, 20, tzinfo=BEIJING)


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        (
            "offers: {opens_with: lvie}",
            "'opens_with' must name a phase of the campaign, not 'lvie'",
        ),
        (
            "offers: {reference_price: always}",
            "'reference_price' must be one of: optional, required",
        ),
        ("offers: {reference: required}", "unknown offers setting 'reference'"),
        (
            "offers: required",
            "'offers' is {opens_with: <campaign phase>, reference_price: required}",
        ),
    ],
)
def test_the_offers_setting_is_checked(tmp_path: Path, setting: str, message: str) -> None:
    with pytest.raises(SiteError) as caught:
        config_with(tmp_path, setting + "\n")
    assert [problem.message for problem in caught.value.problems] == [message]
    assert caught.value.problems[0].line == 11


# ---------- boundaries and per-product windows, in the test process (issue 22) ----------


def test_a_products_own_window_is_read_in_the_sites_time_zone(tmp_path: Path) -> None:
    """offer_starts / offer_ends replace the campaign's bounds, each on its own; a time
    without an offset is in the site's zone (Paris), so last_day is the Paris date."""
    config = config_with(tmp_path)
    own = {
        **PRODUCT,
        "offer_starts": dt.datetime(2027, 11, 10, 9, 0),  # naive: Paris
        "offer_ends": dt.datetime(2027, 11, 12, 0, 30, tzinfo=BEIJING),
    }
    offer = offer_of(own, config, OFFERS_OPEN)
    assert offer is not None
    paris = ZoneInfo("Europe/Paris")
    assert offer.starts == dt.datetime(2027, 11, 10, 9, 0, tzinfo=paris)
    assert offer.ends == dt.datetime(2027, 11, 12, 0, 30, tzinfo=BEIJING)
    assert offer.last_day == dt.date(2027, 11, 11)  # 17:30 on the 11th in Paris
    assert offer.boundaries() == (offer.starts, offer.ends)
    only_start = offer_of({**PRODUCT, "offer_starts": own["offer_starts"]}, config, OFFERS_OPEN)
    assert only_start is not None and only_start.ends == CAMPAIGN_ENDS
    only_end = offer_of({**PRODUCT, "offer_ends": own["offer_ends"]}, config, OFFERS_OPEN)
    assert only_end is not None and only_end.starts == OFFERS_OPEN
    assert only_end.ends == own["offer_ends"]


def test_an_offer_ending_at_midnight_in_paris_last_runs_the_day_before(tmp_path: Path) -> None:
    """priceValidUntil is the last day the price holds: an end at 00:00 is the day before."""
    ends = dt.datetime(2027, 11, 12, 0, 0, tzinfo=ZoneInfo("Europe/Paris"))
    offer = offer_of({**PRODUCT, "offer_ends": ends}, config_with(tmp_path), OFFERS_OPEN)
    assert offer is not None and offer.last_day == dt.date(2027, 11, 11)


def test_without_a_window_an_offer_changes_at_no_instant(tmp_path: Path) -> None:
    (tmp_path / "site.yaml").write_text(SITE.split("campaign:")[0], encoding="utf-8")
    offer = offer_of(PRODUCT, load_config(tmp_path), OFFERS_OPEN)
    assert offer is not None and offer.boundaries() == ()
    campaign = offer_of(PRODUCT, config_with(tmp_path), OFFERS_OPEN)
    assert campaign is not None and campaign.boundaries() == (OFFERS_OPEN, CAMPAIGN_ENDS)


def test_an_opening_phase_the_campaign_does_not_have_opens_with_the_campaign(
    tmp_path: Path,
) -> None:
    config = config_with(tmp_path)
    config = replace(config, offers=replace(config.offers, opens_with="soldes"))
    offer = offer_of(PRODUCT, config, OFFERS_OPEN)
    assert offer is not None and offer.starts == dt.datetime(2027, 10, 20, tzinfo=BEIJING)


@pytest.mark.parametrize("value", [True, False, None, [10], {"fr": 10}, "dix"])
def test_what_is_no_amount(value: object) -> None:
    assert offers.amount(value) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [(10, Decimal("10")), (7.5, Decimal("7.5")), ("89.90", Decimal("89.90"))],
)
def test_amounts_from_yaml_and_csv(value: object, expected: Decimal) -> None:
    assert offers.amount(value) == expected
    assert offers.amount(expected) is expected
