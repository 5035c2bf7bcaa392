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

// A text box with a character limit says, as it is typed, how many characters are left
// (or how many too many). The words come from the page's data attributes.
(function () {
  "use strict";
  Array.prototype.forEach.call(document.querySelectorAll("[data-count-for]"), function (out) {
    var box = document.getElementById(out.getAttribute("data-count-for"));
    if (!box) { return; }
    var max = parseInt(box.getAttribute("data-count-max"), 10);
    if (!max) { return; }
    var shown = null;
    function words(n) {
      var kind = n < 0 ? "over" : "left";
      var count = Math.abs(n);
      var text = out.getAttribute("data-" + kind + (count === 1 ? "-one" : "-many")) || "";
      return text.replace("{n}", String(count));
    }
    function update() {
      var left = max - Array.from(box.value).length;
      var text = words(left);
      if (text !== shown) {  // a screen reader hears a change, not every key
        out.textContent = text;
        shown = text;
      }
      out.classList.toggle("char-count-over", left < 0);
    }
    box.addEventListener("input", update);
    update();
  });
})();
