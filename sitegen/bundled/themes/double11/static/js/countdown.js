/* Live countdown for the double11 theme: no dependencies, ES2017, at most 2.25 KB
   once minified (tests/test_countdown.py measures it).

   Reads the campaign timeline (JSON in #campaign-timeline, written by base.html:
   {"phases": [{"name", "starts", "ends"}], "ends"}), marks every [data-countdown]
   `data-running` (the page shows the time left from then on: the HTML holds only
   what never goes stale), then on every tick (each second; each minute under
   prefers-reduced-motion: reduce):
   - works out the phase from Date.now() and, when it changed, shows the
     [data-phase] elements whose list holds it and hides the others, sets it as
     every [data-campaign-phase], and puts the [data-block] children of every
     [data-order] ({"phase": ["block", ...]}) in that phase's order;
   - shows the [data-offer] elements (a product's offer, "START END", ISO instants
     or "-" for none) whose [data-shown] list holds the offer's state now
     (upcoming, running or ended) and hides the others;
   - recounts the days, hours and minutes left to the next boundary in every
     [data-countdown] ([data-unit] numbers; labels with a word for each CLDR plural
     category, [data-zero] [data-one] [data-two] [data-few] [data-many] [data-other]),
     never below zero, in the page's language; in the last hour, the minutes and
     seconds only (the days and hours are 0 then);
   - writes what the countdown shows ([data-say] parts that are not hidden) into
     its aria-live region ("Double 11 starts in 0 days, 23 hours, 59 minutes"), at
     most once a minute, and at once on a phase change.
   Without a readable timeline it does nothing: the page stays as built. */
(() => {
  'use strict';
  const doc = document;
  // bounds: [instant, phase that begins then], in time order; "after" begins at the end.
  let bounds;
  try {
    const tl = JSON.parse(doc.getElementById('campaign-timeline').textContent);
    bounds = tl.phases.map((p) => [Date.parse(p.starts), p.name]).concat([[Date.parse(tl.ends), 'after']]);
    if (bounds.some((b) => isNaN(b[0]))) return;
  } catch (e) {
    return;
  }

  const lang = doc.documentElement.lang;
  const num = new Intl.NumberFormat(lang);
  const plural = new Intl.PluralRules(lang);
  const reduce = matchMedia('(prefers-reduced-motion: reduce)');
  const all = (root, sel) => Array.from(root.querySelectorAll(sel));
  // What a [data-say] part says: a list (the units left) item by item, each item's
  // parts spaced, whatever whitespace minifying left between the tags.
  const spaced = (el) => Array.from(el.children, (c) => c.textContent).join(' ');
  const said = (el) =>
    el.matches('ul') ? all(el, 'li:not([hidden])').map(spaced).join(', ') : el.textContent;
  let phase; // shown phase
  let mins; // shown minutes left
  let saidAt = 0; // when the live region was last written (or the page set up)
  for (const box of all(doc, '[data-countdown]')) box.dataset.running = '';

  const tick = () => {
    const now = Date.now();
    let cur = 'before';
    let next;
    for (const [at, name] of bounds) {
      if (at <= now) cur = name;
      else if (next === undefined) next = at;
    }
    const left = next === undefined ? 0 : Math.max(0, next - now);
    const m = Math.floor(left / 6e4);
    const last = left > 0 && left < 36e5; // the last hour: minutes and seconds
    const units = last ? ['minutes', 'seconds'] : ['days', 'hours', 'minutes'];
    const values = {
      days: Math.floor(m / 1440),
      hours: Math.floor(m / 60) % 24,
      minutes: m % 60,
      seconds: Math.floor(left / 1e3) % 60,
    };
    const first = phase === undefined;
    const say = !first && (cur !== phase || (m !== mins && now - saidAt >= 6e4));

    if (cur !== phase) {
      for (const el of all(doc, '[data-phase]')) el.hidden = !el.dataset.phase.split(' ').includes(cur);
      for (const el of all(doc, '[data-campaign-phase]')) el.dataset.campaignPhase = cur;
      for (const box of all(doc, '[data-order]')) {
        const order = JSON.parse(box.dataset.order)[cur] || [];
        // Moved only when out of order: the page as built stays as it is.
        if (order.join() !== Array.from(box.children, (el) => el.dataset.block).join()) {
          for (const name of order) box.append(box.querySelector(`:scope>[data-block="${name}"]`));
        }
      }
    }
    for (const el of all(doc, '[data-offer]')) {
      const [from, until] = el.dataset.offer.split(' ').map(Date.parse); // "-": NaN, no bound
      const state = now < from ? 'upcoming' : now >= until ? 'ended' : 'running';
      el.hidden = !el.dataset.shown.split(' ').includes(state);
    }
    for (const box of all(doc, '[data-countdown]')) {
      for (const el of all(box, '[data-unit]')) {
        const v = values[el.dataset.unit];
        if (v === undefined) continue;
        const text = num.format(v);
        if (el.textContent !== text) el.textContent = text;
        const label = el.parentNode.querySelector('[data-other]');
        const word = label && (label.dataset[plural.select(v)] || label.dataset.other);
        if (label && label.textContent !== word) label.textContent = word;
        el.parentNode.hidden = !units.includes(el.dataset.unit);
      }
      const live = box.querySelector('[aria-live]');
      if (live && say) {
        live.textContent = all(box, '[data-say]')
          .filter((el) => !el.closest('[hidden]'))
          .map(said)
          .join(' ')
          .replace(/\s+/g, ' ')
          .trim();
      }
    }
    if (first || say) saidAt = now;
    phase = cur;
    mins = m;

    // Wake up as the shown second (minute) turns, so a boundary is met on time; under
    // reduced motion each minute, but each second in the last hour, when seconds show.
    const step = reduce.matches && !last ? 6e4 : 1e3;
    setTimeout(tick, (left % step || step) + 5);
  };
  tick();
})();
