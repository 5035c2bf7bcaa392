// Moves focus to an error summary so screen readers announce what to fix.
(function () {
  "use strict";
  var summary = document.querySelector(".error-summary");
  if (summary) {
    summary.focus();
  }
})();

// Printing shows every row's further columns and every chart's table of values: the
// toggles are opened for the print and closed again afterwards.
(function () {
  "use strict";
  var opened = [];
  window.addEventListener("beforeprint", function () {
    opened = Array.prototype.filter.call(
      document.querySelectorAll("details.row-details:not([open])"),
      function (el) { el.open = true; return true; }
    );
  });
  window.addEventListener("afterprint", function () {
    opened.forEach(function (el) { el.open = false; });
    opened = [];
  });
})();
