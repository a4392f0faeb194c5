// The top bar's search: "/" focuses it, results drop down as one types (htmx fills them), the
// arrow keys move through them, Enter opens the one chosen and Escape closes the list. The
// focus stays in the box throughout (a combobox with aria-activedescendant). Without a chosen
// result, Enter sends the form: the results page, which works without this file.
(function () {
  "use strict";

  function parts() {
    const form = document.querySelector("[data-global-search]");
    if (!form) return null;
    return {
      form: form,
      input: form.querySelector("[role=combobox]"),
      list: form.querySelector("[role=listbox]"),
    };
  }

  function options(list) {
    return Array.from(list.querySelectorAll("[role=option]"));
  }

  function setActive(box, option) {
    options(box.list).forEach(function (each) {
      const chosen = each === option;
      each.classList.toggle("active", chosen);
      each.setAttribute("aria-selected", chosen ? "true" : "false");
    });
    if (option) {
      box.input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    } else {
      box.input.removeAttribute("aria-activedescendant");
    }
  }

  function open(box) {
    if (!box.list.children.length) return;
    box.list.classList.add("show");
    box.input.setAttribute("aria-expanded", "true");
  }

  function close(box) {
    box.list.classList.remove("show");
    box.input.setAttribute("aria-expanded", "false");
    setActive(box, null);
  }

  function editable(target) {
    return (
      target instanceof Element &&
      (target.isContentEditable || target.closest("input, textarea, select, [contenteditable]") !== null)
    );
  }

  document.addEventListener("keydown", function (event) {
    const box = parts();
    if (!box) return;
    if (event.target === box.input) {
      onBoxKey(box, event);
      return;
    }
    if (event.key === "/" && !event.ctrlKey && !event.metaKey && !event.altKey && !editable(event.target)) {
      event.preventDefault();
      box.input.focus();
      box.input.select();
    }
  });

  function onBoxKey(box, event) {
    if (event.isComposing) return;
    const all = options(box.list);
    const current = all.findIndex(function (each) {
      return each.id === box.input.getAttribute("aria-activedescendant");
    });
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      if (!all.length) return;
      event.preventDefault();
      open(box);
      const step = event.key === "ArrowDown" ? 1 : -1;
      const next = current === -1 ? (step === 1 ? 0 : all.length - 1) : (current + step + all.length) % all.length;
      setActive(box, all[next]);
    } else if (event.key === "Enter" && current !== -1 && box.list.classList.contains("show")) {
      event.preventDefault();
      window.location.assign(all[current].href);
    } else if (event.key === "Escape") {
      if (box.list.classList.contains("show")) {
        event.preventDefault();
        close(box);
      }
    }
  }

  // New results: shown from the top, none chosen yet.
  document.addEventListener("htmx:afterSwap", function (event) {
    const box = parts();
    if (!box || event.detail.target !== box.list) return;
    setActive(box, null);
    if (box.list.children.length && document.activeElement === box.input) {
      open(box);
    } else {
      close(box);
    }
  });

  document.addEventListener("focusin", function (event) {
    const box = parts();
    if (!box) return;
    if (event.target === box.input) {
      open(box);
    } else if (!box.form.contains(event.target)) {
      close(box);
    }
  });

  document.addEventListener("click", function (event) {
    const box = parts();
    if (box && !box.form.contains(event.target)) close(box);
  });
})();
