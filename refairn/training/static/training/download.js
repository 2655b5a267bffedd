/* A PDF module completes when it is downloaded through Refairn (PRODUCT.md §3). The download
   leaves the page where it is, so once it has started, refresh the module's state line from the
   server until it says the download was recorded (a slow server or a large file may take a few
   seconds; after about ten tries the line updates on the next visit instead).

   This script loads in the page's head without `defer` and listens on the document: a link
   clicked while the rest of the page is still loading is caught too (a deferred listener on the
   link itself missed such clicks, and the state line then stayed stale). */
(function () {
  "use strict";

  const TRIES = 10;

  function followDownload(link) {
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
  }

  document.addEventListener("click", (event) => {
    const link = event.target instanceof Element && event.target.closest("#pdf-download");
    if (link) followDownload(link);
  });
})();
