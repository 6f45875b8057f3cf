// The activation letter's QR code opens /aktiver/#kode=ABCD-EFGH. The fragment never leaves
// the browser; this fills the code field from it and removes it from the address bar.
(function () {
  "use strict";
  var match = /(?:^#|&)kode=([A-Za-z0-9-]{1,20})/.exec(window.location.hash);
  if (!match) { return; }
  var field = document.getElementById("id_code");
  if (field && !field.value) { field.value = match[1].toUpperCase(); }
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
}());
