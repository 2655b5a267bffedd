/* The attempt's countdown (PRODUCT.md §4: the deadline is set on the server at start).

   The page carries the server's deadline and the server's "now" at rendering; the remaining time
   is deadline − (server now + time elapsed on this device since the page arrived), so a wrong
   device clock does not matter and a reload picks the countdown up where the server says it is.
   At zero the page shows that the time is over and stops offering to save; the server refuses
   late answers anyway (409), which also switches the page to that state. */
(function () {
  "use strict";

  const box = document.getElementById("countdown");
  if (!box) return;
  const deadline = Date.parse(box.dataset.deadline);
  // The server's "now" was read just before the page's first byte left it: pair it with the
  // moment that byte arrived, not with when this (deferred) script happens to run, which may be
  // seconds later on a slow connection and would show more time than is left.
  const navigation = performance.getEntriesByType("navigation")[0];
  const received = navigation ? performance.timeOrigin + navigation.responseStart : Date.now();
  const offset = Date.parse(box.dataset.now) - received;
  const value = document.getElementById("countdown-value");
  const announce = document.getElementById("countdown-announce");
  const over = document.getElementById("time-over");
  const WARNINGS = [[5 * 60, "5 minutes left."], [60, "1 minute left."]];
  const warned = new Set();
  let closed = false;

  function text(seconds) {
    const h = Math.floor(seconds / 3600);
    const m = Math.floor((seconds % 3600) / 60);
    const s = seconds % 60;
    const mm = h ? String(m).padStart(2, "0") : String(m);
    return (h ? h + ":" : "") + mm + ":" + String(s).padStart(2, "0");
  }

  function closeAttempt() {
    if (closed) return;
    closed = true;
    value.textContent = "0:00";
    box.classList.add("over");
    over.hidden = false;
    document.querySelectorAll(".question input, .question textarea, .question button[data-save]")
      .forEach((control) => { control.disabled = true; });
  }

  function tick() {
    if (closed) return;
    const seconds = Math.ceil((deadline - (Date.now() + offset)) / 1000);
    if (seconds <= 0) {
      closeAttempt();
      return;
    }
    value.textContent = text(seconds);
    for (const [limit, message] of WARNINGS) {
      if (seconds <= limit && !warned.has(limit)) {
        warned.add(limit);
        announce.textContent = message;
      }
    }
    setTimeout(tick, 250);
  }

  // The server answers a refused save with 409 (time over) or 422 (invalid answer) and a status
  // line explaining it: show that line instead of dropping the response.
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    const status = event.detail.xhr.status;
    if (status === 409 || status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.body.addEventListener("attempt-closed", closeAttempt);
  tick();
})();
