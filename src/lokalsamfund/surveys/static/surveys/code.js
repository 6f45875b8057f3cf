// The letter's QR code opens /s/#kode=XXXX-XXXX: the part after # never leaves the browser,
// so the code is in no server's log. Fill the code field from it, then drop it from the
// address bar. Without script the resident types the code from the letter.
(function () {
  "use strict";
  var match = /(?:^#|&)kode=([A-Za-z0-9-]{1,20})/.exec(window.location.hash);
  if (!match) { return; }
  var field = document.getElementById("code");
  if (field && !field.value) { field.value = match[1].toUpperCase(); }
  if (window.history && window.history.replaceState) {
    window.history.replaceState(null, "", window.location.pathname + window.location.search);
  }
})();
