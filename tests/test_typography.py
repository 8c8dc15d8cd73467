"""French typography: exact strings, with U+202F / U+00A0 spelled out.

`french_text` works on plain text; `french_typography` on whole pages and fragments,
changing text nodes only and leaving tags, code, scripts and opt-outs byte-identical.
"""

from __future__ import annotations

import pytest

from sitegen.rendering.typography import french_islands, french_text, french_typography

NNBSP = "\u202f"
NBSP = "\u00a0"


# --- Punctuation ------------------------------------------------------------------------


@pytest.mark.parametrize("mark", [";", ":", "!", "?"])
def test_typed_space_before_a_mark_becomes_narrow(mark: str) -> None:
    assert french_text(f"Oui {mark} non") == f"Oui{NNBSP}{mark} non"
    assert french_text(f"Oui {mark}") == f"Oui{NNBSP}{mark}"


@pytest.mark.parametrize("mark", [";", ":", "!", "?"])
def test_missing_space_before_a_mark_is_inserted(mark: str) -> None:
    assert french_text(f"Oui{mark} non") == f"Oui{NNBSP}{mark} non"
    assert french_text(f"Oui{mark}") == f"Oui{NNBSP}{mark}"
    assert french_text(f"11{mark} non") == f"11{NNBSP}{mark} non"


@pytest.mark.parametrize("mark", [";", ":", "!", "?"])
def test_several_spaces_or_a_no_break_space_become_one_narrow_space(mark: str) -> None:
    assert french_text(f"Oui   {mark} non") == f"Oui{NNBSP}{mark} non"
    assert french_text(f"Oui{NBSP}{mark} non") == f"Oui{NNBSP}{mark} non"
    assert french_text(f"Oui \t{NBSP}{mark}") == f"Oui{NNBSP}{mark}"


def test_guillemets_with_and_without_inner_spaces() -> None:
    expected = f"«{NNBSP}Double 11{NNBSP}»"
    assert french_text("« Double 11 »") == expected
    assert french_text("«Double 11»") == expected
    assert french_text("«  Double 11»") == expected
    assert french_text(f"«{NBSP}Double 11{NBSP}»") == expected
    assert french_text("Le «Double 11» commence.") == f"Le {expected} commence."


def test_mark_inside_guillemets() -> None:
    assert french_text("«Oui!»") == f"«{NNBSP}Oui{NNBSP}!{NNBSP}»"
    assert french_text("« Oui ! »") == f"«{NNBSP}Oui{NNBSP}!{NNBSP}»"


def test_mark_after_a_closing_parenthesis_or_quote() -> None:
    assert french_text("(vraiment)?") == f"(vraiment){NNBSP}?"
    assert french_text("«Oui»?") == f"«{NNBSP}Oui{NNBSP}»{NNBSP}?"
    assert french_text('Il a dit "oui"?') == f'Il a dit "oui"{NNBSP}?'
    assert french_text("Vraiment (vous croyez?)") == f"Vraiment (vous croyez{NNBSP}?)"


def test_only_the_first_of_several_marks_is_spaced() -> None:
    assert french_text("Super !!") == f"Super{NNBSP}!!"
    assert french_text("Super!!") == f"Super{NNBSP}!!"
    assert french_text("Quoi ?!") == f"Quoi{NNBSP}?!"
    assert french_text("Quoi?!?") == f"Quoi{NNBSP}?!?"


def test_emoticons_are_left_alone() -> None:
    for text in ("Super :)", "Super :-)", "Super ;)", "Génial :D", "Super:)"):
        assert french_text(text) == text


def test_times_and_ratios_are_untouched() -> None:
    text = "Rendez-vous à 12:30 ou 18:45:10, format 1:1 ou 16:9."
    assert french_text(text) == text


def test_marks_glued_to_what_follows_are_not_punctuation() -> None:
    text = "index.php?id=1, a:hover, !important, Note :Dupont"
    assert french_text(text) == text


def test_urls_emails_and_paths_are_untouched() -> None:
    for text in (
        "https://example.com/?q=1&x=2",
        "www.example.com",
        "contact@example.com",
        "Voir https://example.com/faq? ou www.example.com/aide! ou /fr/participer?",
        "Écrivez à contact@example.com!",
    ):
        assert french_text(text) == text


def test_punctuation_next_to_a_url_is_still_fixed() -> None:
    assert french_text("Site : https://example.com/?q=1 !") == (
        f"Site{NNBSP}: https://example.com/?q=1{NNBSP}!"
    )
    assert french_text("Mail : contact@example.com") == f"Mail{NNBSP}: contact@example.com"


def test_a_mark_starting_a_line_is_left_alone() -> None:
    assert french_text("Oui\n: non") == "Oui\n: non"
    assert french_text("Oui\n  ! non") == "Oui\n  ! non"


# --- Numbers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24 heures", f"24{NBSP}heures"),
        ("200 pays", f"200{NBSP}pays"),
        ("268,4 milliards", f"268,4{NBSP}milliards"),
        ("30 %", f"30{NNBSP}%"),
        ("89,90 €", f"89,90{NBSP}€"),
        ("1 299,00 €", f"1{NNBSP}299,00{NBSP}€"),
        ("1 299 €", f"1{NNBSP}299{NBSP}€"),
        ("12 345 678 visiteurs", f"12{NNBSP}345{NNBSP}678 visiteurs"),
        ("11 novembre", f"11{NBSP}novembre"),
        ("1er janvier", f"1er{NBSP}janvier"),
        ("10 km", f"10{NBSP}km"),
        ("3 CNY", f"3{NBSP}CNY"),
        ("20 °C", f"20{NBSP}°C"),
        ("5 $", f"5{NBSP}$"),
        ("3 mois", f"3{NBSP}mois"),
        ("10  jours", f"10{NBSP}jours"),
        ("90 × 90 cm", f"90{NBSP}×{NBSP}90{NBSP}cm"),  # a measure holds together
        ("90×90 cm", f"90{NBSP}×{NBSP}90{NBSP}cm"),
        ("3 × 2", f"3{NBSP}×{NBSP}2"),
    ],
)
def test_number_and_unit(text: str, expected: str) -> None:
    assert french_text(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "en 2019 sur AliExpress",  # not a unit
        "10 maisons",  # `m` only as a whole word
        "en 2019 l'entreprise",  # `l` followed by an elision
        "en 2019 l\u2019entreprise",
        "5 h30",
        "2019 300",  # a year is no thousands group
        "1 2345",  # groups are exactly three digits
        "3,5 000",
        "x × y",  # a sign between letters
        "90 × large",
    ],
)
def test_not_a_unit_or_not_a_group(text: str) -> None:
    assert french_text(text) == text


def test_a_unit_after_a_four_digit_number_gets_its_space() -> None:
    assert french_text("en 2019 300 marchands") == f"en 2019 300{NBSP}marchands"


def test_plain_text_edge_cases() -> None:
    assert french_text("") == ""
    assert french_text("   ") == "   "
    assert french_text("!") == "!"
    assert french_text("?") == "?"


# --- HTML -------------------------------------------------------------------------------


def test_text_nodes_are_fixed_and_tags_kept() -> None:
    html = '<p class="x">Prix : <strong>1 299,00 €</strong> !</p>'
    assert french_typography(html) == (
        f'<p class="x">Prix{NNBSP}: <strong>1{NNBSP}299,00{NBSP}€</strong>{NNBSP}!</p>'
    )


def test_attributes_are_untouched() -> None:
    html = '<a href="/x?y=1" title="Quoi?">Quoi?</a>'
    assert french_typography(html) == f'<a href="/x?y=1" title="Quoi?">Quoi{NNBSP}?</a>'
    for html in (
        '<img alt="Prix : 30 % !" src="/img/a.png">',
        '<a href="https://example.com/?q=1&amp;x=2" title="« Double 11 » : 24 heures">',
        "<meta content='Oui ! Non ? 11 novembre'>",
        '<input value="a ; b" disabled>',
    ):
        assert french_typography(html) == html


def test_greater_than_inside_a_quoted_attribute() -> None:
    html = "<a title=\"a > b : c\" data-x='d > e ?'>x : y</a>"
    assert french_typography(html) == (f"<a title=\"a > b : c\" data-x='d > e ?'>x{NNBSP}: y</a>")


@pytest.mark.parametrize(
    "html",
    [
        "<code>a : b</code>",
        "<pre>a : b ! 30 %</pre>",
        "<pre><code>if (a) { b : c }</code> ! </pre>",
        "<kbd>Ctrl !</kbd><samp>Erreur : 1</samp><var>x ?</var>",
        "<script>if (a ? b : c) {}</script>",
        '<script>var s = "</div> : ?";</script>',
        "<style>a:hover{} p::before{content: '« '}</style>",
        '<script type="application/ld+json">{"a": "b ?", "c": "30 %"}</script>',
        "<textarea>Oui ? Non !</textarea>",
        '<span translate="no">x : y</span>',
        '<div class="product notranslate">Prix : 30 €</div>',
        '<div class="no-typography">Prix : 30 €</div>',
        "<!-- TODO : vérifier ! -->",
        "<![CDATA[ a : b ]]>",
        "<!DOCTYPE html>",
        "<CODE>a : b</CODE>",
        "<Pre>a : b</PRE>",
    ],
)
def test_protected_content_is_byte_identical(html: str) -> None:
    assert french_typography(html) == html


def test_text_around_protected_elements_is_fixed() -> None:
    html = "<p>Tapez <code>a : b</code> : c\u2019est tout !</p>"
    assert french_typography(html) == (
        f"<p>Tapez <code>a : b</code>{NNBSP}: c\u2019est tout{NNBSP}!</p>"
    )
    html = "<pre><code>x : y</code> : z</pre> : w"
    assert french_typography(html) == f"<pre><code>x : y</code> : z</pre>{NNBSP}: w"
    html = "<CODE>a : b</CODE> c : d"
    assert french_typography(html) == f"<CODE>a : b</CODE> c{NNBSP}: d"
    html = "<script>a ? b : c</script><p>Oui ?</p>"
    assert french_typography(html) == f"<script>a ? b : c</script><p>Oui{NNBSP}?</p>"
    html = "<!-- a : b --><p>c : d</p>"
    assert french_typography(html) == f"<!-- a : b --><p>c{NNBSP}: d</p>"


def test_nested_opt_out_elements_are_counted() -> None:
    html = '<span translate="no">x : y <span>a : b</span> : c</span> : d'
    assert french_typography(html) == (
        f'<span translate="no">x : y <span>a : b</span> : c</span>{NNBSP}: d'
    )
    html = "<pre>a : b <pre>c : d</pre> e : f</pre> g : h"
    assert french_typography(html) == f"<pre>a : b <pre>c : d</pre> e : f</pre> g{NNBSP}: h"


def test_void_and_self_closing_elements_open_nothing() -> None:
    html = '<br><img src="a.png" translate="no"><p translate="no"/>Oui !<br/>Non ?'
    assert french_typography(html) == (
        f'<br><img src="a.png" translate="no"><p translate="no"/>Oui{NNBSP}!<br/>Non{NNBSP}?'
    )


def test_translate_yes_and_other_classes_do_not_protect() -> None:
    html = '<p translate="yes" class="notranslation">Oui !</p>'
    assert french_typography(html) == (f'<p translate="yes" class="notranslation">Oui{NNBSP}!</p>')


def test_a_mark_after_an_inline_element_is_glued_to_it() -> None:
    html = "<p><strong>Note</strong>: texte</p>"
    assert french_typography(html) == f"<p><strong>Note</strong>{NNBSP}: texte</p>"
    html = '<p>Voir <a href="/x">le site</a>!</p>'
    assert french_typography(html) == f'<p>Voir <a href="/x">le site</a>{NNBSP}!</p>'


def test_a_mark_after_a_block_or_code_is_not_glued() -> None:
    for html in ("<p>Oui</p><p>: non</p>", "<code>x</code>: y", "Oui<br>!", "<b>Oui</b> <i>!</i>"):
        assert french_typography(html) == html


def test_guillemets_around_an_inline_element() -> None:
    html = "<p>« <em>Oui</em> »</p>"
    assert french_typography(html) == f"<p>«{NNBSP}<em>Oui</em>{NNBSP}»</p>"
    html = "<p>«<em>Oui</em>»</p>"  # no space on either side: both stay as typed
    assert french_typography(html) == html


def test_character_references() -> None:
    assert french_typography("Bonjour&nbsp;!") == f"Bonjour{NNBSP}!"
    assert french_typography("Bonjour&#160;!") == f"Bonjour{NNBSP}!"
    assert french_typography("«&nbsp;Oui&nbsp;»") == f"«{NNBSP}Oui{NNBSP}»"
    assert french_typography("R&amp;D : oui") == f"R&amp;D{NNBSP}: oui"
    assert french_typography("Tom &amp; Jerry !") == f"Tom &amp; Jerry{NNBSP}!"
    assert french_typography("Quoi?&nbsp;Oui") == f"Quoi{NNBSP}?&nbsp;Oui"
    assert french_typography("1&nbsp;299 €") == f"1&nbsp;299{NBSP}€"
    for html in ("&amp;", "AT&amp;T", "&eacute;t&eacute;;", "&lt;b&gt;", "a&#8239;!", "x&quot;?"):
        assert french_typography(html) == html


def test_urls_as_text_in_html_are_untouched() -> None:
    html = "<p>https://example.com/?q=1&amp;x=2 www.example.com contact@example.com 12:30 1:1</p>"
    assert french_typography(html) == html


def test_fragments_and_empty_input() -> None:
    assert french_typography("") == ""
    assert french_typography("Oui !") == f"Oui{NNBSP}!"
    assert french_typography("Oui ! <em>Non ?") == f"Oui{NNBSP}! <em>Non{NNBSP}?"
    assert french_typography("</p>Oui ?") == f"</p>Oui{NNBSP}?"
    assert french_typography("a < b : c") == f"a < b{NNBSP}: c"
    assert french_typography("Oui ! <a href=") == f"Oui{NNBSP}! <a href="
    assert french_typography("<!-- Oui ! ") == "<!-- Oui ! "


PAGE = """<!DOCTYPE html>
<html lang="fr">
<head>
  <meta charset="utf-8">
  <title>Double 11 : le guide</title>
  <meta name="description" content="Double 11 : 268,4 milliards en 24 heures !">
  <style>a:hover { color: red; } .x::after { content: " ?"; }</style>
  <script type="application/ld+json">{"name": "Double 11 : guide", "price": "30 %"}</script>
</head>
<body>
  <nav aria-label="Menu principal">
    <a href="/fr/?q=1&amp;x=2" title="Accueil ?">Accueil</a>
    <a href="/fr/participer/">Participer !</a>
  </nav>
  <main>
    <h1>Le «Double 11» : 11 novembre</h1>
    <p>En 2019, 268,4 milliards de yuans en 24 heures ; plus de 200 pays !</p>
    <p>Remise de 30 % : <strong>89,90 €</strong> au lieu de 1 299,00 €&nbsp;?</p>
    <pre><code>if (a ? b : c) { return 1:1; }</code></pre>
    <p>Rendez-vous à 12:30 sur https://example.com/?q=1 ou contact@example.com.</p>
    <p translate="no">Marque : Xiaomi !</p>
    <!-- Note : à revoir ! -->
  </main>
  <footer><p>© 2026 — Contact : <a href="mailto:contact@example.com">écrire</a></p></footer>
  <script>window.x = a ? b : c;</script>
</body>
</html>
"""

FIXES = [
    ("<title>Double 11 : le guide</title>", f"<title>Double 11{NNBSP}: le guide</title>"),
    (">Participer !</a>", f">Participer{NNBSP}!</a>"),
    (
        "<h1>Le «Double 11» : 11 novembre</h1>",
        f"<h1>Le «{NNBSP}Double 11{NNBSP}»{NNBSP}: 11{NBSP}novembre</h1>",
    ),
    (
        "268,4 milliards de yuans en 24 heures ; plus de 200 pays !</p>",
        f"268,4{NBSP}milliards de yuans en 24{NBSP}heures{NNBSP};"
        f" plus de 200{NBSP}pays{NNBSP}!</p>",
    ),
    (
        "Remise de 30 % : <strong>89,90 €</strong> au lieu de 1 299,00 €&nbsp;?",
        f"Remise de 30{NNBSP}%{NNBSP}: <strong>89,90{NBSP}€</strong>"
        f" au lieu de 1{NNBSP}299,00{NBSP}€{NNBSP}?",
    ),
    ("Contact : <a", f"Contact{NNBSP}: <a"),
]


def test_realistic_page() -> None:
    expected = PAGE
    for before, after in FIXES:
        assert expected.count(before) == 1
        expected = expected.replace(before, after)
    assert (expected.count(NNBSP), expected.count(NBSP)) == (12, 6)
    assert french_typography(PAGE) == expected


def test_idempotent() -> None:
    once = french_typography(PAGE)
    assert french_typography(once) == once
    for text in ("« Double 11 » : 30 % !", "Super !!", "1 299,00 €", "Quoi?!"):
        assert french_text(french_text(text)) == french_text(text)
        assert french_typography(french_typography(text)) == french_typography(text)


# ---------- by the language of the text (issue 20, part 4) ----------


@pytest.mark.parametrize("lang", ["en", "en-GB", "de", "zh-Hans"])
def test_text_in_another_language_on_a_french_page_keeps_its_own_spacing(lang: str) -> None:
    html = f'<p>Prix : 10 €</p><p lang="{lang}">Note: 10 € off!</p><p>Fin !</p>'
    assert french_typography(html) == (
        f'<p>Prix\u202f: 10\u00a0€</p><p lang="{lang}">Note: 10 € off!</p><p>Fin\u202f!</p>'
    )


def test_french_text_inside_a_french_page_is_typeset() -> None:
    html = '<html lang="fr"><p lang="fr-CA">Oui : non !</p><q lang="FR">Vite !</q></html>'
    assert french_typography(html) == (
        '<html lang="fr"><p lang="fr-CA">Oui\u202f: non\u202f!</p>'
        '<q lang="FR">Vite\u202f!</q></html>'
    )


def test_a_french_island_of_an_english_page_gets_french_spacing_and_nothing_else() -> None:
    html = (
        '<html lang="en"><p>Note: 10 % off!</p>'
        '<blockquote lang="fr"><p>« Bonjour » : 10 % de remise !</p>'
        '<p lang="en">Inner: English!</p></blockquote>'
        '<a hreflang="fr" lang="fr">Français</a><p>Tail: done!</p></html>'
    )
    assert french_islands(html) == (
        '<html lang="en"><p>Note: 10 % off!</p>'
        '<blockquote lang="fr"><p>«\u202fBonjour\u202f»\u202f: 10\u202f% de remise\u202f!</p>'
        '<p lang="en">Inner: English!</p></blockquote>'
        '<a hreflang="fr" lang="fr">Français</a><p>Tail: done!</p></html>'
    )


def test_what_is_not_a_french_island() -> None:
    """`hreflang`, a `lang` written in the text, a void element and nested islands."""
    unchanged = (
        '<a hreflang="fr" href="/fr/">Voir : ici !</a>',
        '<p>Write lang="fr" : like this!</p>',
        '<img lang="fr" alt="Photo : ici !"><p>After: this!</p>',
        '<code lang="fr">a : b</code>',
    )
    for html in unchanged:
        assert french_islands(html) == html
    nested = '<div lang="fr"><div>Un : deux !</div></div><p>Three: four!</p>'
    assert french_islands(nested) == (
        '<div lang="fr"><div>Un\u202f: deux\u202f!</div></div><p>Three: four!</p>'
    )


def test_an_unclosed_island_runs_to_the_end() -> None:
    assert french_islands('<p lang="fr">Oui : non !') == '<p lang="fr">Oui\u202f: non\u202f!'


@pytest.mark.parametrize(
    "opening",
    [
        '<span translate="no">',
        "<span translate='no'>",
        "<span translate=no>",
        '<span TRANSLATE="NO">',
        '<span Translate="No">',
        "<span class=notranslate>",
        "<span class='x no-typography'>",
        '<span\ttranslate="no">',
    ],
)
def test_every_way_of_writing_an_opt_out_is_read(opening: str) -> None:
    html = f"<p>Oui : non</p>{opening}a : b</span><p>Fin !</p>"
    assert french_typography(html) == (
        f"<p>Oui\u202f: non</p>{opening}a : b</span><p>Fin\u202f!</p>"
    )


def test_an_attribute_that_only_looks_like_an_opt_out_is_not_one() -> None:
    html = '<span data-translate="no" title="translate=no">a : b</span>'
    assert french_typography(html) == html.replace("a : b", "a\u202f: b")


def test_french_islands_nested_self_closed_void_and_unclosed() -> None:
    nested = '<div lang="fr"><div><div>a : b</div></div> c : d</div> e: f'
    assert french_islands(nested) == (
        '<div lang="fr"><div><div>a\u202f: b</div></div> c\u202f: d</div> e: f'
    )
    twice = '<div lang="fr">a : b <span lang="fr">c : d</span> e : f</div> g: h'
    assert french_islands(twice) == (
        '<div lang="fr">a\u202f: b <span lang="fr">c\u202f: d</span> e\u202f: f</div> g: h'
    )
    closed = '<span lang="fr"/>Bonjour : x <p lang="fr">a : b</p> c: d'
    assert french_islands(closed) == '<span lang="fr"/>Bonjour : x <p lang="fr">a\u202f: b</p> c: d'
    after_void = '<img lang="fr" alt=""><p lang="fr">a : b</p>'
    assert french_islands(after_void) == '<img lang="fr" alt=""><p lang="fr">a\u202f: b</p>'
    upper = '<DIV lang="fr">a : b<div>c : d</div></DIV> e: f'
    assert french_islands(upper) == '<DIV lang="fr">a\u202f: b<div>c\u202f: d</div></DIV> e: f'
    assert french_islands('x: y <p lang="fr"') == 'x: y <p lang="fr"'
