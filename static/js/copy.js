// My learning: a "Copy" button beside a read-only address. Without script the button stays
// hidden and the address can be selected by hand (the input is read-only, not disabled).
(function () {
  "use strict";
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    if (!field) { return; }
    var status = button.closest(".copy-field").querySelector(".copy-status");
    button.hidden = false;
    field.addEventListener("focus", function () { field.select(); });
    button.addEventListener("click", function () {
      var done = function () { if (status) { status.textContent = button.getAttribute("data-copied"); } };
      field.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, function () {
          if (document.execCommand("copy")) { done(); }
        });
      } else if (document.execCommand("copy")) {
        done();
      }
    });
  });
})();
