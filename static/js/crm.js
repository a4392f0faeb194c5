// Filter forms on list pages: leave empty fields out of the request, so that the URL pushed
// to the address bar only says what was actually chosen (?industry=Energy, not ?q=&owner=...).
(function () {
  "use strict";
  document.addEventListener("htmx:configRequest", function (event) {
    if (!event.detail.elt.matches("form[data-filters]")) {
      return;
    }
    const formData = event.detail.formData;
    for (const [name, value] of Array.from(formData.entries())) {
      if (value === "") {
        formData.delete(name);
      }
    }
  });
})();
