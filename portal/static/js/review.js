// The review page: "Select all shown", and focus on the item a fragment names.
// Everything here is an enhancement: without JavaScript the page's forms do the same
// ("Mark all shown reviewed"), and the fragment still scrolls to the right place.
(function () {
  "use strict";

  var selectAll = document.querySelector("[data-select-all]");
  var boxes = Array.prototype.slice.call(
    document.querySelectorAll('input[type="checkbox"][name="entry_ids"]')
  );
  if (selectAll && boxes.length) {
    selectAll.hidden = false;
    var allTicked = function () {
      return boxes.every(function (box) { return box.checked; });
    };
    var show = function () {
      var on = allTicked();
      selectAll.setAttribute("aria-pressed", on ? "true" : "false");
      selectAll.textContent = on ? "Clear the ticks" : "Select all shown";
    };
    selectAll.addEventListener("click", function () {
      var tick = !allTicked();
      boxes.forEach(function (box) { box.checked = tick; });
      show();
    });
    boxes.forEach(function (box) { box.addEventListener("change", show); });
    show();
  }

  // After acknowledging, replying or marking, the server sends the page back with the
  // next item's anchor: put keyboard focus there too, not only the scroll position.
  var focusTarget = function () {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    if (target && target.hasAttribute("tabindex")) {
      target.focus({ preventScroll: false });
    }
  };
  focusTarget();
  window.addEventListener("hashchange", focusTarget);
})();
