// The pipeline board: drag a card onto another column to move the deal there.
// The drop only sets the card's stage <select> and fires "dropped": the select's own HTMX form
// posts the move, so dragging, the keyboard and the no-JS button share one path.
(function () {
  "use strict";

  let dragged = null;

  function columnOf(target) {
    return target instanceof Element ? target.closest("[data-stage]") : null;
  }

  function clearTargets() {
    document.querySelectorAll(".board-column.drop-target").forEach(function (column) {
      column.classList.remove("drop-target");
    });
  }

  document.addEventListener("dragstart", function (event) {
    const card = event.target instanceof Element ? event.target.closest("[data-deal]") : null;
    if (!card) return;
    dragged = card;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", card.dataset.deal);
    card.classList.add("dragging");
  });

  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    clearTargets();
  });

  document.addEventListener("dragover", function (event) {
    const column = columnOf(event.target);
    if (!column || !dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    if (!column.classList.contains("drop-target")) {
      clearTargets();
      column.classList.add("drop-target");
    }
  });

  document.addEventListener("drop", function (event) {
    const column = columnOf(event.target);
    if (!column || !dragged) return;
    event.preventDefault();
    clearTargets();
    const select = dragged.querySelector("select[name=stage]");
    if (!select || select.value === column.dataset.stage) return;
    // Show the card in its new column at once; the server's answer puts it there for good.
    column.querySelector("[data-cards]").prepend(dragged);
    select.value = column.dataset.stage;
    select.dispatchEvent(new Event("dropped", { bubbles: true }));
  });

  // A moved card comes first in its new column, whatever its close date. Should "load more"
  // bring it again at its place further down, the copy at the top goes.
  document.addEventListener("htmx:load", function (event) {
    const card = event.target;
    if (!(card instanceof Element) || !card.matches("[data-deal]")) return;
    document.querySelectorAll('[data-deal="' + card.dataset.deal + '"]').forEach(function (other) {
      if (other !== card) other.remove();
    });
  });

  // "Cancel" on a form opened inside a card (the lost reason) just closes it.
  document.addEventListener("click", function (event) {
    const cancel = event.target instanceof Element ? event.target.closest("[data-dismiss-form]") : null;
    if (!cancel || !cancel.closest("[data-board]")) return;
    event.preventDefault();
    cancel.closest("form").remove();
  });
})();
