/* lokalsamfund's shell: the phone menu and the sideways-scroll cue of wide tables.
   Progressive enhancement only: without this script the menu is a plain list of links and
   wide tables still scroll (with their shadow cue). Loaded in <head> without defer so that the
   "js" class is set before the first paint (no flash of the open menu). CSP: 'self'. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function setUpMenu() {
    var button = document.querySelector(".menu-button[aria-controls]");
    if (!button) return;
    var menu = document.getElementById(button.getAttribute("aria-controls"));
    if (!menu) return;
    function setOpen(open) {
      button.setAttribute("aria-expanded", open ? "true" : "false");
      menu.classList.toggle("is-open", open);
    }
    button.addEventListener("click", function () {
      setOpen(button.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        button.focus();
      }
    });
  }

  /* A wide table's wrapper (.table-wrap) that overflows gets the class "is-overflowing" and a
     hint in its caption; both go away when the table fits again. */
  function markOverflowingTables() {
    var text = document.body.getAttribute("data-scroll-hint") || "";
    var wraps = document.querySelectorAll(".table-wrap");
    for (var i = 0; i < wraps.length; i++) {
      var wrap = wraps[i];
      var overflowing = wrap.scrollWidth > wrap.clientWidth + 1;
      wrap.classList.toggle("is-overflowing", overflowing);
      var hint = wrap.querySelector(".scroll-hint");
      if (overflowing && !hint && text) {
        hint = document.createElement("span");
        hint.className = "scroll-hint";
        hint.textContent = text;
        var caption = wrap.querySelector("caption");
        if (caption) {
          caption.appendChild(hint);
        } else {
          wrap.insertBefore(hint, wrap.firstChild);
        }
      } else if (!overflowing && hint) {
        hint.parentNode.removeChild(hint);
      }
    }
  }

  var pending = null;
  function onResize() {
    if (pending) window.cancelAnimationFrame(pending);
    pending = window.requestAnimationFrame(markOverflowingTables);
  }

  document.addEventListener("DOMContentLoaded", function () {
    setUpMenu();
    markOverflowingTables();
    window.addEventListener("resize", onResize);
    document.body.addEventListener("htmx:afterSettle", markOverflowingTables);
  });
})();
