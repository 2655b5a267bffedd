// The accessibility checks test_accessibility.py runs on each page, in the page. Returns a list
// of problems, each a sentence naming the element; an empty list is a pass.
() => {
  const problems = [];
  const describe = (el) => {
    const html = el.outerHTML.replace(/\s+/g, " ");
    return html.length > 140 ? `${html.slice(0, 140)}…` : html;
  };
  const visible = (el) => {
    const box = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    return box.width > 0 && box.height > 0 && style.visibility !== "hidden";
  };
  const textOf = (ids) =>
    ids.split(/\s+/).map((id) => document.getElementById(id)?.textContent ?? "").join(" ").trim();
  const ariaName = (el) =>
    (el.getAttribute("aria-label") ?? "").trim() ||
    textOf(el.getAttribute("aria-labelledby") ?? "");

  // (a) Nothing widens the page past the phone's width.
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth > width) {
    const scrolls = (el) => ["auto", "scroll", "hidden"].includes(getComputedStyle(el).overflowX);
    const culprits = [...document.querySelectorAll("body *")].filter((el) => {
      if (!visible(el) || el.getBoundingClientRect().right <= width + 1) return false;
      for (let p = el.parentElement; p; p = p.parentElement) if (scrolls(p)) return false;
      return true;
    });
    const overflowing = [...document.querySelectorAll("body *")].filter(
      (el) => el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1 && !scrolls(el),
    );
    const hint = (culprits.length ? culprits : overflowing).slice(-2).map(describe).join(" | ");
    problems.push(`the page is ${document.documentElement.scrollWidth}px wide at ${width}px: ${hint}`);
  }

  // (b) Every control has an accessible name: a label (for= or wrapping), aria-label(ledby).
  for (const el of document.querySelectorAll("input, select, textarea")) {
    if (el.type === "hidden" || !visible(el)) continue;
    const labelled = [...(el.labels ?? [])].some((label) => label.textContent.trim());
    if (!labelled && !ariaName(el)) problems.push(`a control has no label: ${describe(el)}`);
  }

  // (c) Every button and link says what it does.
  for (const el of document.querySelectorAll("a[href], button, [role=button], summary")) {
    const images = [...el.querySelectorAll("img[alt]")].map((img) => img.alt).join("");
    if (!(el.textContent.trim() || ariaName(el) || images.trim())) {
      problems.push(`a ${el.tagName.toLowerCase()} has no name: ${describe(el)}`);
    }
  }

  // (d) One h1, and no heading level skipped on the way down.
  const headings = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")];
  const h1s = headings.filter((h) => h.tagName === "H1").length;
  if (h1s !== 1) problems.push(`${h1s} h1 headings (want exactly one)`);
  let level = 0;
  for (const h of headings) {
    const next = Number(h.tagName[1]);
    if (level && next > level + 1) {
      problems.push(`h${level} is followed by h${next}: "${h.textContent.trim().slice(0, 60)}"`);
    }
    level = next;
  }

  // A label's for= finds one control only if ids are unique.
  const seen = new Map();
  for (const el of document.querySelectorAll("[id]")) seen.set(el.id, (seen.get(el.id) ?? 0) + 1);
  for (const [id, n] of seen) if (n > 1) problems.push(`the id "${id}" is used ${n} times`);

  // A table box that scrolls sideways can be reached by keyboard and is named.
  for (const wrap of document.querySelectorAll(".table-wrap")) {
    if (visible(wrap) && wrap.scrollWidth > wrap.clientWidth + 1) {
      if (wrap.tabIndex < 0 || !ariaName(wrap)) {
        problems.push(`a table scrolls sideways but cannot be focused or has no name: ${describe(wrap)}`);
      }
    }
  }

  // Text contrast at least 4.5:1 (3:1 for large text) against the backgrounds behind it.
  const rgba = (color) => {
    const [r, g, b, a = 1] = color.match(/[\d.]+/g).map(Number);
    return { r, g, b, a };
  };
  const over = (top, below) => ({
    r: top.r * top.a + below.r * (1 - top.a),
    g: top.g * top.a + below.g * (1 - top.a),
    b: top.b * top.a + below.b * (1 - top.a),
    a: 1,
  });
  const background = (el) => {
    const layers = [];
    for (let node = el; node; node = node.parentElement) {
      const color = rgba(getComputedStyle(node).backgroundColor);
      if (color.a > 0) layers.push(color);
      if (color.a >= 1) break;
    }
    return layers.reverse().reduce((below, top) => over(top, below), { r: 255, g: 255, b: 255, a: 1 });
  };
  const luminance = ({ r, g, b }) => {
    const channel = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const reported = new Set();
  for (const el of document.querySelectorAll("body *")) {
    const hasText = [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    // Disabled controls are exempt (WCAG 1.4.3); screen-reader-only text is not seen.
    if (!hasText || !visible(el) || el.closest(":disabled, .sr-only, option")) continue;
    const style = getComputedStyle(el);
    const back = background(el);
    const fore = over(rgba(style.color), back);
    const [light, dark] = [luminance(fore), luminance(back)].sort((x, y) => y - x);
    const ratio = (light + 0.05) / (dark + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const key = `${style.color} ${style.backgroundColor} ${el.className}`;
    if (ratio < (large ? 3 : 4.5) && !reported.has(key)) {
      reported.add(key);
      problems.push(`contrast ${ratio.toFixed(2)}:1 (${style.color} on rgb(${Math.round(back.r)}, ${Math.round(back.g)}, ${Math.round(back.b)})): ${describe(el)}`);
    }
  }
  return problems;
}
