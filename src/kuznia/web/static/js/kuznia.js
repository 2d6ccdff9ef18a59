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
  // Forms marked data-once submit once: a second click while the first is on its way does nothing.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.hasAttribute || !form.hasAttribute("data-once")) { return; }
    if (form.getAttribute("data-submitted") === "true") { event.preventDefault(); return; }
    form.setAttribute("data-submitted", "true");
    // A disabled button is not sent: keep the chosen one's value (vet, reject...) in the form.
    var chosen = event.submitter;
    if (chosen && chosen.name) {
      var kept = document.createElement("input");
      kept.type = "hidden"; kept.name = chosen.name; kept.value = chosen.value;
      form.appendChild(kept);
    }
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  });
  // A form that came back with problems: take the reader to the list of them.
  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.getElementById("error-summary");
    if (summary) { summary.focus(); }
  });
})();
