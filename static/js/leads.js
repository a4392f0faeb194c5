// Leads: the bulk-action bar of the list and the opportunity section of the convert screen.
(function () {
  "use strict";

  function updateBulkBar() {
    var bar = document.querySelector("[data-bulk-bar]");
    if (!bar) return;
    var checked = document.querySelectorAll("[data-bulk-item]:checked").length;
    bar.classList.toggle("d-none", checked === 0);
    var count = bar.querySelector("[data-bulk-count]");
    if (count) count.textContent = String(checked);
  }

  function toggleOpportunity() {
    var box = document.getElementById("id_create_opportunity");
    var fields = document.querySelector("[data-opportunity-fields]");
    if (box && fields) fields.classList.toggle("d-none", !box.checked);
  }

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (target.matches("[data-bulk-all]")) {
      document.querySelectorAll("[data-bulk-item]").forEach(function (item) {
        item.checked = target.checked;
      });
    }
    if (target.matches("[data-bulk-all], [data-bulk-item]")) updateBulkBar();
    if (target.id === "id_create_opportunity") toggleOpportunity();
  });

  document.addEventListener("DOMContentLoaded", function () {
    updateBulkBar();
    toggleOpportunity();
  });
  document.addEventListener("htmx:afterSettle", updateBulkBar);

  // Filters left empty stay out of the URL that is pushed to the address bar.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.verb !== "get" || !event.detail.elt.closest(".lead-filters")) return;
    var params = event.detail.parameters;
    Object.keys(params).forEach(function (key) {
      if (params[key] === "") delete params[key];
    });
  });
})();
