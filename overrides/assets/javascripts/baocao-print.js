// The report toolbar's print button: bound here, not by an inline onclick, so that pages
// work under a Content-Security-Policy without 'unsafe-inline'.
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest(".bc-print");
  if (button) {
    window.print();
  }
});
