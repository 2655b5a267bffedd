// After a refused submit (issue 12 item 9) the error summary comes into view and takes the
// focus, so a keyboard or screen-reader user starts where the problem is told; a page without a
// summary focuses its first invalid control. The same after htmx swaps a refused form in.
(() => {
  const SUMMARY = ".errors[role=alert]";
  const INVALID = ".field.invalid input, .field.invalid select, .field.invalid textarea";

  const reveal = (root) => {
    const summary = root.querySelector(SUMMARY);
    if (summary) {
      summary.tabIndex = -1;
      summary.scrollIntoView({ block: "center" });
      summary.focus({ preventScroll: true });
      return;
    }
    const control = root.querySelector(INVALID);
    if (control) {
      control.scrollIntoView({ block: "center" });
      control.focus({ preventScroll: true });
    }
  };

  document.addEventListener("DOMContentLoaded", () => reveal(document));
  document.addEventListener("htmx:afterSettle", (event) => reveal(event.target));
})();
