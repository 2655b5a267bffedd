/* A PDF module completes when it is downloaded through Refairn (PRODUCT.md §3). The download
   leaves the page where it is, so once it has started, refresh the module's state line from the
   server until it says the download was recorded (a slow server or a large file may take a few
   seconds; after about ten tries the line updates on the next visit instead). */
(function () {
  "use strict";

  const TRIES = 10;
  const link = document.getElementById("pdf-download");
  if (!link) return;
  link.addEventListener("click", () => {
    let tries = 0;
    const refresh = () => {
      tries += 1;
      const again = () => { if (tries < TRIES) setTimeout(refresh, 1000); };
      fetch(link.dataset.statusUrl, { credentials: "same-origin" })
        .then((response) => (response.ok ? response.text() : Promise.reject(response.status)))
        .then((html) => {
          const line = document.getElementById("module-status");
          line.insertAdjacentHTML("afterend", html);
          line.remove();
          if (!document.querySelector("#module-status[data-completed]")) again();
        })
        .catch(again);
    };
    setTimeout(refresh, 1000);
  });
})();
