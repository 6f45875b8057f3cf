// Copy buttons for the open links (progressive: without script the link is there to select).
(function () {
  "use strict";
  if (!navigator.clipboard) { return; }
  var status = document.querySelector("[data-copy-status]");
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var target = document.getElementById(button.getAttribute("data-copy"));
      if (!target) { return; }
      navigator.clipboard.writeText(target.getAttribute("href") || target.textContent).then(function () {
        if (status) { status.textContent = status.getAttribute("data-copied"); }
      });
    });
  });
})();
