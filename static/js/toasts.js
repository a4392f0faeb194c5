// Messages as toasts (templates/includes/messages.html): a success or a note hides itself after
// a few seconds, longer when it offers an Undo, and waits while the pointer is over it or the
// focus in it; an error stays until dismissed. Toasts come with the page or are added to the
// region by an HTMX answer: both are picked up here.
(function () {
  "use strict";

  const SHOWN_FOR = 6000;
  const WITH_UNDO = 12000;
  const MOST = 5; // toasts at once: the oldest goes first

  function dismiss(toast) {
    if (!toast.isConnected) return;
    if (toast.contains(document.activeElement)) {
      // The focus must not fall to the page's start: back to the main content.
      const main = document.getElementById("main");
      if (main) main.focus({ preventScroll: true });
    }
    toast.classList.add("toast-leaving");
    setTimeout(function () {
      toast.remove();
    }, 200);
  }

  function autohide(toast) {
    if (!toast.hasAttribute("data-autohide") || toast.dataset.timed) return;
    toast.dataset.timed = "1";
    let left = toast.querySelector("[data-toast-undo]") ? WITH_UNDO : SHOWN_FOR;
    let started = 0;
    let timer = null;
    const holds = new Set();

    function run() {
      if (timer !== null || holds.size) return;
      started = Date.now();
      timer = setTimeout(function () {
        dismiss(toast);
      }, left);
    }

    function hold(reason) {
      holds.add(reason);
      if (timer === null) return;
      clearTimeout(timer);
      timer = null;
      left = Math.max(left - (Date.now() - started), 1500);
    }

    function release(reason) {
      holds.delete(reason);
      run();
    }

    toast.addEventListener("pointerenter", function () {
      hold("pointer");
    });
    toast.addEventListener("pointerleave", function () {
      release("pointer");
    });
    toast.addEventListener("focusin", function () {
      hold("focus");
    });
    toast.addEventListener("focusout", function (event) {
      if (!toast.contains(event.relatedTarget)) release("focus");
    });
    run();
  }

  function arrived(region) {
    const toasts = Array.from(region.querySelectorAll("[data-toast]"));
    toasts.slice(0, Math.max(toasts.length - MOST, 0)).forEach(function (toast) {
      toast.remove();
    });
    toasts.slice(-MOST).forEach(autohide);
  }

  document.addEventListener("click", function (event) {
    const button = event.target instanceof Element ? event.target.closest("[data-toast-dismiss]") : null;
    if (button) dismiss(button.closest("[data-toast]"));
  });

  // An Undo used: its toast has done its work.
  document.addEventListener("htmx:afterRequest", function (event) {
    const form = event.detail.elt;
    if (form instanceof Element && form.matches("[data-toast-undo]")) dismiss(form.closest("[data-toast]"));
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    const toast = event.target instanceof Element ? event.target.closest("[data-toast]") : null;
    if (toast) dismiss(toast);
  });

  document.addEventListener("DOMContentLoaded", function () {
    const region = document.getElementById("messages");
    if (!region) return;
    // What a live region holds when the page loads is not read out, only what is added to it
    // afterwards: the page's own toasts are put back in once the region is listened to.
    const first = Array.from(region.children);
    if (first.length) {
      region.replaceChildren();
      setTimeout(function () {
        region.append(...first);
      }, 250);
    }
    new MutationObserver(function () {
      arrived(region);
    }).observe(region, { childList: true });
  });
})();
