// The settings pages: a pipeline's stages are put in order by dragging them, with a mouse (HTML5
// drag and drop) or a finger or pen on the handle (pointer events). A drop only writes the new
// order into the list's hidden form and sends it; the arrows beside each stage make the same
// change without JavaScript, and by keyboard. Loaded as a file: the CSP forbids inline scripts.
(function () {
  "use strict";

  document.documentElement.classList.add("can-drag");

  let drag = null; // the stage being dragged, its list, and the order before

  function stagesOf(list) {
    return Array.from(list.querySelectorAll(":scope > [data-stage]"));
  }

  function orderOf(list) {
    return stagesOf(list).map(function (stage) { return stage.dataset.stage; });
  }

  function start(stage) {
    drag = { stage: stage, list: stage.parentElement, before: orderOf(stage.parentElement).join() };
    stage.classList.add("dragging");
  }

  // The dragged stage goes before the first other one whose middle is below the pointer.
  function follow(y) {
    const next = stagesOf(drag.list).find(function (other) {
      const box = other.getBoundingClientRect();
      return other !== drag.stage && y < box.top + box.height / 2;
    });
    if (next && next !== drag.stage.nextElementSibling) {
      drag.list.insertBefore(drag.stage, next);
    } else if (!next && drag.list.lastElementChild !== drag.stage) {
      drag.list.appendChild(drag.stage);
    }
  }

  function finish() {
    if (!drag) return;
    const list = drag.list;
    const moved = orderOf(list).join() !== drag.before;
    drag.stage.classList.remove("dragging");
    drag = null;
    if (!moved) return;
    const form = list.closest("[data-sortable]").querySelector("form[data-reorder]");
    form.querySelectorAll("input[name=stage]").forEach(function (input) { input.remove(); });
    orderOf(list).forEach(function (id) {
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = "stage";
      input.value = id;
      form.appendChild(input);
    });
    form.requestSubmit(); // htmx sends it and swaps the list in; without htmx, a plain post
  }

  function stageAt(target, selector) {
    return target instanceof Element ? target.closest("[data-sortable] " + selector) : null;
  }

  document.addEventListener("dragstart", function (event) {
    const stage = stageAt(event.target, "[data-stage]");
    if (!stage) return;
    start(stage);
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", stage.dataset.stage);
  });

  document.addEventListener("dragover", function (event) {
    if (!drag || !(event.target instanceof Node) || !drag.list.contains(event.target)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    follow(event.clientY);
  });

  document.addEventListener("drop", function (event) {
    if (drag) event.preventDefault();
  });

  document.addEventListener("dragend", finish);

  // A finger or a pen: the handle is held (touch-action: none keeps the page from scrolling).
  document.addEventListener("pointerdown", function (event) {
    if (event.pointerType === "mouse" || drag) return;
    const handle = stageAt(event.target, "[data-drag-handle]");
    if (!handle) return;
    event.preventDefault();
    handle.setPointerCapture(event.pointerId);
    start(handle.closest("[data-stage]"));
  });

  document.addEventListener("pointermove", function (event) {
    if (drag && event.pointerType !== "mouse") follow(event.clientY);
  });

  ["pointerup", "pointercancel"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      if (event.pointerType !== "mouse") finish();
    });
  });

  // The arrows bring the list back in its new order: the keyboard focus stays on the arrow
  // pressed, or goes to the other arrow of that stage once it has reached an end.
  let focused = null;
  document.addEventListener("htmx:beforeSwap", function (event) {
    const active = document.activeElement;
    focused = active && active.id && event.detail.target.contains(active) ? active.id : null;
  });

  document.addEventListener("htmx:afterSettle", function () {
    if (!focused) return;
    const id = focused;
    focused = null;
    let arrow = document.getElementById(id);
    if (!arrow || arrow.disabled) {
      const other = id.endsWith("-up") ? id.replace(/-up$/, "-down") : id.replace(/-down$/, "-up");
      arrow = document.getElementById(other);
    }
    if (arrow && !arrow.disabled) arrow.focus();
  });
})();
