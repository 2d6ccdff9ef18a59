// kuznia: small progressive enhancements; every page works without this file.
(function () {
  "use strict";
  // After htmx swaps a region, move focus to it so keyboard and screen-reader users follow.
  document.addEventListener("htmx:afterSwap", function (event) {
    var target = event.detail.target;
    if (target && target.hasAttribute("data-focus-after-swap")) {
      target.setAttribute("tabindex", "-1");
      target.focus({ preventScroll: false });
    }
  });
  // A form that came back with problems: take the reader to the list of them.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  });
})();
