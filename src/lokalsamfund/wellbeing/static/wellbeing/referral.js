/* The caretaker's referral form (wellbeing).
 *
 * 1. Guidance that matters now: the acute instruction (112) when "acute risk" is chosen, the
 *    child guidance when a child may be affected, the name fields only when the resident may
 *    be named. Without JavaScript everything is shown.
 * 2. A draft that survives a reload on a poor connection, kept in this tab's sessionStorage
 *    (gone when the tab is closed), under the user's id. The choices (department, what was
 *    noticed, urgency, the yes/no questions) are kept; the resident's name, address, the
 *    reason and the free text only when the caretaker ticks "keep ... on this phone". Sending
 *    the form clears the draft (the next page says so with data-clear-draft). Nothing is ever
 *    put in localStorage. See docs/wellbeing.md ("The draft").
 */
(function () {
  "use strict";
  var PREFIX = "wellbeing-draft-";
  var PERSONAL = ["resident_name", "resident_address", "identity_reason", "free_text"];

  function clearDrafts() {
    try {
      for (var i = sessionStorage.length - 1; i >= 0; i--) {
        var key = sessionStorage.key(i);
        if (key && key.indexOf(PREFIX) === 0) sessionStorage.removeItem(key);
      }
    } catch (e) { /* storage unavailable: nothing kept */ }
  }

  function ready() {
    if (document.querySelector("[data-clear-draft]")) clearDrafts();
    var form = document.getElementById("referral-form");
    if (!form) return;
    var key = PREFIX + form.getAttribute("data-draft-key");
    var keep = form.querySelector("[name=keep_draft]");
    var status = document.getElementById("draft-status");

    function values(name) {
      var chosen = [];
      var fields = form.querySelectorAll("[name='" + name + "']");
      for (var i = 0; i < fields.length; i++) {
        var el = fields[i];
        if ((el.type === "checkbox" || el.type === "radio") ? el.checked : el.value) chosen.push(el.value);
      }
      return chosen;
    }

    function toggle() {
      var blocks = form.querySelectorAll("[data-show-when]");
      for (var i = 0; i < blocks.length; i++) {
        var rule = blocks[i].getAttribute("data-show-when").split("=");
        var wanted = rule[1].split(",");
        var have = values(rule[0]);
        blocks[i].hidden = !have.some(function (v) { return wanted.indexOf(v) !== -1; });
      }
    }

    function save() {
      var data = {};
      var keepPersonal = keep && keep.checked;
      for (var i = 0; i < form.elements.length; i++) {
        var el = form.elements[i];
        if (!el.name || el.name === "csrfmiddlewaretoken" || el.type === "submit") continue;
        if (PERSONAL.indexOf(el.name) !== -1 && !keepPersonal) continue;
        if (el.type === "checkbox" || el.type === "radio") {
          if (el.checked) (data[el.name] = data[el.name] || []).push(el.value);
        } else {
          data[el.name] = [el.value];
        }
      }
      try {
        sessionStorage.setItem(key, JSON.stringify(data));
        if (status) status.hidden = false;
      } catch (e) { /* storage full or unavailable: no draft */ }
    }

    function restore() {
      var text = null;
      try { text = sessionStorage.getItem(key); } catch (e) { return; }
      if (!text) return;
      var data;
      try { data = JSON.parse(text); } catch (e) { return; }
      for (var i = 0; i < form.elements.length; i++) {
        var el = form.elements[i];
        if (!el.name || !(el.name in data) || el.name === "csrfmiddlewaretoken") continue;
        if (el.type === "checkbox" || el.type === "radio") {
          el.checked = data[el.name].indexOf(el.value) !== -1;
        } else if (el.type !== "submit") {
          el.value = data[el.name][0];
        }
      }
      if (status) status.hidden = false;
    }

    // A form sent back with errors shows what the server has; otherwise the draft.
    if (!form.hasAttribute("data-bound")) restore();
    toggle();
    form.addEventListener("change", function () { toggle(); save(); });
    form.addEventListener("input", save);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
