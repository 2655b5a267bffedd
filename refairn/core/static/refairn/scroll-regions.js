// A table wider than the screen scrolls sideways inside its .table-wrap box (site.css). A
// keyboard can only scroll a box it can focus, and a screen reader should hear what the box is:
// so a box that overflows becomes a named, focusable region, and stops being one when it fits.
(() => {
  const HEADING = "h1, h2, h3, h4, h5, h6, summary";
  // The table's caption, or else the nearest heading before it.
  const nameOf = (wrap) => {
    const caption = wrap.querySelector("caption");
    if (caption && caption.textContent.trim()) return caption.textContent.trim();
    for (let node = wrap; node && node !== document.body; node = node.parentElement) {
      for (let sibling = node.previousElementSibling; sibling; sibling = sibling.previousElementSibling) {
        const heading = sibling.matches(HEADING) ? sibling : [...sibling.querySelectorAll(HEADING)].pop();
        if (heading) return heading.textContent.trim().replace(/\s+/g, " ");
      }
    }
    return "Table";
  };

  const update = () => {
    for (const wrap of document.querySelectorAll(".table-wrap")) {
      const overflows = wrap.scrollWidth > wrap.clientWidth + 1;
      if (overflows && !wrap.dataset.scrollRegion) {
        wrap.dataset.scrollRegion = "on";
        wrap.tabIndex = 0;
        wrap.setAttribute("role", "region");
        wrap.setAttribute("aria-label", `${nameOf(wrap)} (scrolls sideways)`);
      } else if (!overflows && wrap.dataset.scrollRegion) {
        delete wrap.dataset.scrollRegion;
        for (const name of ["tabindex", "role", "aria-label"]) wrap.removeAttribute(name);
      }
    }
  };

  document.addEventListener("DOMContentLoaded", update);
  document.addEventListener("toggle", update, true); // a <details> opened: its tables now have a width
  document.addEventListener("htmx:afterSettle", update);
  window.addEventListener("resize", update);
})();
