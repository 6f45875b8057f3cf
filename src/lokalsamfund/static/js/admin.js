// The back office: gives Django's user autocomplete (select2) the name of its field. select2's
// combobox and text box are labelled by their own text, which is empty until a choice is made (axe
// aria-input-field-name); here they are labelled by the field's <label> as well.
(function () {
  "use strict";
  function nameAutocompletes() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      const label = select.id && document.querySelector('label[for="' + select.id + '"]');
      // The combobox and, inside it, the text box that shows the choice.
      const boxes = select.parentNode.querySelectorAll(
        ".select2-selection[role=combobox], .select2-selection__rendered[role=textbox]"
      );
      if (!label || boxes.length === 0) {
        return;
      }
      if (!label.id) {
        label.id = select.id + "_label";
      }
      boxes.forEach(function (box) {
        const own = box.getAttribute("aria-labelledby") || box.id || "";
        if (own.split(" ").indexOf(label.id) === -1) {
          box.setAttribute("aria-labelledby", (label.id + " " + own).trim());
        }
      });
    });
  }
  // select2 draws its boxes when jQuery's "ready" runs, which may come after the page's "load":
  // name them whenever boxes appear (this only sets attributes, so it does not wake itself).
  new MutationObserver(nameAutocompletes).observe(document.documentElement, {
    childList: true,
    subtree: true,
  });
  window.addEventListener("load", nameAutocompletes);
  document.addEventListener("formset:added", nameAutocompletes);
})();
