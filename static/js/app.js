// Small behaviours shared by every page. Loaded as a file: the CSP forbids inline scripts.
(function () {
  "use strict";

  // The search box of a record picker (crm.rendering.SearchSelect) sits inside the record's
  // form: Enter there searches at once rather than sending the form half filled.
  document.addEventListener("keydown", function (event) {
    const box = event.target instanceof Element ? event.target.closest("[data-search-select]") : null;
    if (!box || event.key !== "Enter" || event.isComposing) return;
    event.preventDefault();
    box.dispatchEvent(new Event("search"));
  });
})();
