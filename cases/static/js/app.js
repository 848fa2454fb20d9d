/* Small progressive enhancements; every page works without them. */
(function () {
  "use strict";

  function copyText(text, button) {
    var done = function () {
      var original = button.textContent;
      button.textContent = button.getAttribute("data-copied") || "✓";
      setTimeout(function () { button.textContent = original; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
    } else {
      fallbackCopy(text);
      done();
    }
  }

  function fallbackCopy(text) {
    // Office intranets often serve plain http, where navigator.clipboard is missing.
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* the text stays selectable */ }
    document.body.removeChild(area);
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-copy]");
    if (!button) { return; }
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) { return; }
    copyText(source.value !== undefined && source.tagName === "INPUT" ? source.value : source.textContent.trim(), button);
  });

  document.addEventListener("submit", function (event) {
    var message = event.target.getAttribute("data-confirm");
    if (message && !window.confirm(message)) { event.preventDefault(); }
  });

  // Case form: the litigation instance only applies to lawsuits.
  function syncInstance() {
    var kind = document.getElementById("id_kind");
    var field = document.querySelector('[data-field="litigation_instance"]');
    if (!kind || !field) { return; }
    field.hidden = kind.value === "reconsideration";
  }

  // Hearing record: the absence reason and proof matter only when no responsible person attended.
  function syncAbsence() {
    var box = document.querySelector("[data-show-when-empty]");
    if (!box) { return; }
    var select = document.getElementById(box.getAttribute("data-show-when-empty"));
    if (!select) { return; }
    box.hidden = select.value !== "";
  }

  // Under the Content-Security-Policy no on*="" attribute runs: these replace them.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });

  document.addEventListener("change", function (event) {
    if (event.target.hasAttribute("data-autosubmit") && event.target.form) { event.target.form.submit(); }
    if (event.target.id === "id_kind") { syncInstance(); }
    if (event.target.id === "id_responsible_person") { syncAbsence(); }
  });
  document.addEventListener("DOMContentLoaded", function () { syncInstance(); syncAbsence(); });
})();
