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

  // A list whose search box searches as one types: leaving the box must not search again
  // through the form's "change" trigger, or that search races the link clicked to leave it
  // (a column's sort) and may land last, without the sort.
  document.addEventListener(
    "change",
    function (event) {
      const box = event.target;
      if (box instanceof HTMLInputElement && box.type === "search" && box.form?.hasAttribute("data-live-search")) {
        event.stopPropagation();
      }
    },
    true,
  );

  // A search sent twice (Enter, then the search a keystroke had scheduled) answers with the
  // address already shown: that replaces the history entry rather than adding it again, so
  // Back leaves the search at once.
  document.addEventListener("htmx:beforeHistoryUpdate", function (event) {
    const update = event.detail.history;
    if (update.type === "push" && new URL(update.path, location.href).href === location.href) {
      update.type = "replace";
    }
  });
})();
