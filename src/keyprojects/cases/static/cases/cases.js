// Typical cases: the "print" button (no inline handlers under the Content-Security-Policy).
(function () {
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) window.print();
  });
})();
