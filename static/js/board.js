// The pipeline board: drag a card onto another column to move the deal there, and the cards'
// menus. A drop only clicks the stage's button in the card's "Move to…" menu: that form posts
// the move, so dragging, the menu (mouse, touch, keyboard) and a browser without JavaScript
// share one path.
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
    const button = dragged.querySelector('.deal-move button[name=stage][value="' + column.dataset.stage + '"]');
    if (!button || button.disabled) return;
    // Show the card in its new column at once; the server's answer puts it there for good.
    column.querySelector("[data-cards]").prepend(dragged);
    button.click();
  });

  // A moved card comes first in its new column, whatever its close date. Should "load more"
  // bring it again at its place further down, the copy at the top goes.
  document.addEventListener("htmx:load", function (event) {
    const loaded = event.target;
    if (!(loaded instanceof Element)) return;
    if (loaded.matches("[data-deal]")) {
      document.querySelectorAll('[data-deal="' + loaded.dataset.deal + '"]').forEach(function (other) {
        if (other !== loaded) other.remove();
      });
    }
  });

  // --- The cards' menus -------------------------------------------------------------------

  function menus() {
    return document.querySelectorAll("[data-card-menu][open]");
  }

  function close(menu, { focus = false } = {}) {
    menu.open = false;
    if (focus) menu.querySelector(".card-menu-toggle").focus();
  }

  function items(menu) {
    return Array.from(menu.querySelectorAll(".card-menu-item")).filter(function (item) {
      return !item.disabled;
    });
  }

  // One menu open at a time; an opened one brings its first action to the keyboard's reach.
  document.addEventListener(
    "toggle",
    function (event) {
      const menu = event.target;
      if (!(menu instanceof HTMLDetailsElement) || !menu.matches("[data-card-menu]") || !menu.open) return;
      menus().forEach(function (other) {
        if (other !== menu) other.open = false;
      });
    },
    true,
  );

  // A click elsewhere closes the open menu.
  document.addEventListener("click", function (event) {
    const inside = event.target instanceof Element ? event.target.closest("[data-card-menu]") : null;
    menus().forEach(function (menu) {
      if (menu !== inside) menu.open = false;
    });
  });

  // The arrow keys go from action to action, Home and End to the first and last; Escape closes
  // the menu and gives the focus back to its button.
  document.addEventListener("keydown", function (event) {
    const menu = event.target instanceof Element ? event.target.closest("[data-card-menu]") : null;
    if (!menu) return;
    if (event.key === "Escape" && menu.open) {
      event.preventDefault();
      close(menu, { focus: true });
      return;
    }
    const keys = ["ArrowDown", "ArrowUp", "ArrowRight", "ArrowLeft", "Home", "End"];
    if (!keys.includes(event.key)) return;
    const all = items(menu);
    if (!all.length) return;
    if (!menu.open) {
      if (event.key !== "ArrowDown") return;
      menu.open = true;
    }
    event.preventDefault();
    const at = all.indexOf(event.target);
    let next;
    if (event.key === "Home") next = 0;
    else if (event.key === "End") next = all.length - 1;
    else if (event.key === "ArrowDown" || event.key === "ArrowRight") next = at < 0 ? 0 : (at + 1) % all.length;
    else next = at < 0 ? all.length - 1 : (at - 1 + all.length) % all.length;
    all[next].focus();
  });

  // An action taken from a menu closes it.
  document.addEventListener("htmx:beforeRequest", function (event) {
    const elt = event.detail.elt;
    const menu = elt instanceof Element ? elt.closest("[data-card-menu]") : null;
    if (menu && menu.open) close(menu, { focus: menu.contains(document.activeElement) });
  });

  // The focus stays with the deal: a card drawn again (in its new column, after a move) takes it
  // back; a card gone from the board (won, lost) leaves it to its neighbour, or to its column.
  let focusReturn = null;

  function neighbour(card) {
    for (const other of [card.nextElementSibling, card.previousElementSibling]) {
      if (other && other.matches("[data-deal]")) return other.dataset.deal;
    }
    return null;
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    const elt = event.detail.elt;
    const card = elt instanceof Element ? elt.closest("[data-board] [data-deal]") : null;
    if (!card || !card.contains(document.activeElement)) return;
    focusReturn = { deal: card.dataset.deal, near: neighbour(card), column: card.closest("[data-stage]") };
  });

  document.addEventListener("htmx:afterRequest", function () {
    const wanted = focusReturn;
    focusReturn = null;
    if (!wanted) return;
    setTimeout(function () {
      const focused = document.activeElement;
      if (focused && focused !== document.body && focused.isConnected) return;
      for (const deal of [wanted.deal, wanted.near]) {
        const card = deal && document.querySelector('[data-board] [data-deal="' + deal + '"]');
        if (card) return card.querySelector(".card-menu-toggle").focus();
      }
      const column = wanted.column && document.getElementById(wanted.column.id);
      const heading = column && column.querySelector("h2");
      if (heading) heading.focus();
    }, 0);
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    const target = event.detail.target;
    if (!(target instanceof Element) || !target.matches("[data-card-form]")) return;
    const field = target.querySelector("input:not([type=hidden]), select, textarea");
    if (field) field.focus();
  });

  // "Cancel" on a form opened inside a card (the lost reason) just closes it, and the focus goes
  // back to the card's menu.
  document.addEventListener("click", function (event) {
    const cancel = event.target instanceof Element ? event.target.closest("[data-dismiss-form]") : null;
    if (!cancel || !cancel.closest("[data-board]")) return;
    event.preventDefault();
    const card = cancel.closest("[data-deal]");
    cancel.closest("form").remove();
    const toggle = card && card.querySelector(".card-menu-toggle");
    if (toggle) toggle.focus();
  });
})();
