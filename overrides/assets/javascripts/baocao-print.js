/*
 * baocao: the report page's "In báo cáo" button prints the page. Bound here rather than
 * with an inline onclick, which the served site's Content-Security-Policy forbids.
 * Material swaps pages without reloading only with navigation.instant (not enabled), so
 * binding once on load is enough; a delegated listener covers both cases anyway.
 */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var target = event.target;
    var button = target && target.closest ? target.closest(".bc-print") : null;
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
})();
