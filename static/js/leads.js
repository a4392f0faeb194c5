// Leads: the bulk-action bar of the list, the opportunity section and the new company's name
// of the convert screen.
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

  // The new company's name matters only when a new company is chosen. Without this script
  // the box always shows, and the form ignores it for any other choice.
  function toggleCompanyName() {
    var box = document.querySelector("[data-company-name]");
    if (!box) return;
    var chosen = document.querySelector("input[name=company]:checked");
    box.classList.toggle("d-none", !chosen || chosen.value !== "new");
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
    if (target.name === "company") toggleCompanyName();
  });

  document.addEventListener("DOMContentLoaded", function () {
    updateBulkBar();
    toggleOpportunity();
    toggleCompanyName();
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
