// Report filters: typing a date switches the period to "Custom dates"; picking a named
// period clears the dates. Listens in the capture phase so the values are set before htmx
// (listening on the form) reads them for its request.
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var form = event.target.closest(".report-filters");
    if (!form) return;
    var period = form.elements.namedItem("period");
    if (!period) return;
    var name = event.target.name;
    if ((name === "start" || name === "end") && event.target.value) {
      period.value = "custom";
    } else if (name === "period" && period.value !== "custom") {
      form.elements.namedItem("start").value = "";
      form.elements.namedItem("end").value = "";
    }
  }, true);
})();
