/* Small progressive enhancements; every page works without them. */
(function () {
  "use strict";
  // Tells the stylesheet scripts run, so the phone menu may start folded (without them it stays open).
  document.documentElement.classList.add("js");

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

  function each(selector, fn) { Array.prototype.forEach.call(document.querySelectorAll(selector), fn); }

  // Case form: a field of one kind of proceeding shows only when that kind is chosen
  // (the server clears what the hidden fields still hold).
  function syncKind() {
    var kind = document.getElementById("id_kind");
    if (!kind) { return; }
    each("[data-only-for-kind]", function (input) {
      var box = input.closest(".field") || input;
      box.hidden = input.getAttribute("data-only-for-kind") !== kind.value;
    });
  }

  // A list of checkboxes with a filter box: typing hides the people whose name does not match;
  // the ones already ticked stay in sight. On a form with an agency select, only that agency's
  // people are shown (and those of another agency are unticked: the service would refuse them).
  function filterChoices(list) {
    var box = document.querySelector('[data-choice-filter="' + list.id + '"]');
    var agency = document.getElementById("id_agency");
    var words = box ? box.value.trim().toLowerCase() : "";
    Array.prototype.forEach.call(list.querySelectorAll("label"), function (label) {
      var input = label.querySelector("input");
      var item = label.parentElement === list ? label : label.parentElement;
      var elsewhere = Boolean(agency && agency.value && input && input.hasAttribute("data-agency") &&
                              input.getAttribute("data-agency") !== agency.value);
      if (elsewhere && input.checked) { input.checked = false; }
      var match = !words || label.textContent.toLowerCase().indexOf(words) !== -1;
      item.hidden = elsewhere || (!match && !(input && input.checked));
    });
  }

  function filterAllChoices() {
    each("[data-choice-filter]", function (box) {
      var list = document.getElementById(box.getAttribute("data-choice-filter"));
      if (list) { filterChoices(list); }
    });
  }

  // Conclude form: outcomes that changed with the law (D10) follow the conclusion date.
  function syncOutcomes() {
    var date = document.getElementById("id_concluded_on");
    var select = document.getElementById("id_outcome");
    if (!date || !select || !date.value) { return; }
    Array.prototype.forEach.call(select.options, function (option) {
      var since = option.getAttribute("data-in-force-since");
      var before = option.getAttribute("data-in-force-before");
      if (!since && !before) { return; }
      var off = Boolean((since && date.value < since) || (before && date.value >= before));
      option.hidden = off;
      option.disabled = off;
      if (off && option.selected) { select.value = ""; }
    });
  }

  // Conclude form: the grounds (D12) only for a correction or loss, "act changed" only for a
  // withdrawal; a hidden field is emptied, as the service would refuse what it still holds.
  function syncOutcomeFields() {
    var select = document.getElementById("id_outcome");
    if (!select) { return; }
    var option = select.options[select.selectedIndex];
    var wants = {
      grounds: Boolean(option && option.hasAttribute("data-needs-grounds")),
      act_changed: Boolean(option && option.hasAttribute("data-withdrawal"))
    };
    Object.keys(wants).forEach(function (name) {
      var box = document.querySelector('[data-field="' + name + '"]');
      if (!box || box.classList.contains("has-error")) { return; }
      box.hidden = !wants[name];
      if (box.hidden) {
        Array.prototype.forEach.call(box.querySelectorAll("input[type=checkbox]"), function (input) {
          input.checked = false;
        });
      }
    });
  }

  // Hearing record: the fields the chosen attendance calls for (leader, staff only, nobody).
  function syncAttendance() {
    var chosen = document.querySelector('input[name="attendance"]:checked');
    each("[data-attendance-shows]", function (box) {
      var shows = box.getAttribute("data-attendance-shows").split(" ");
      box.hidden = Boolean(chosen) && shows.indexOf(chosen.value) === -1;
    });
  }

  // Under the Content-Security-Policy no on*="" attribute runs: these replace them.
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });

  // Phone header: the menu button opens and folds the navigation; Escape folds it and returns to the button.
  function setMenu(toggle, open) {
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  }
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest(".menu-toggle");
    if (toggle) { setMenu(toggle, toggle.getAttribute("aria-expanded") !== "true"); }
  });
  document.addEventListener("keydown", function (event) {
    var toggle = document.querySelector('.menu-toggle[aria-expanded="true"]');
    if (event.key !== "Escape" || !toggle) { return; }
    setMenu(toggle, false);
    toggle.focus();
  });

  document.addEventListener("change", function (event) {
    if (event.target.hasAttribute("data-autosubmit") && event.target.form) { event.target.form.submit(); }
    if (event.target.id === "id_kind") { syncKind(); }
    if (event.target.id === "id_agency") { filterAllChoices(); }
    if (event.target.id === "id_concluded_on") { syncOutcomes(); syncOutcomeFields(); }
    if (event.target.id === "id_outcome") { syncOutcomeFields(); }
    if (event.target.name === "attendance") { syncAttendance(); }
  });
  document.addEventListener("input", function (event) {
    if (event.target.hasAttribute("data-choice-filter")) {
      var list = document.getElementById(event.target.getAttribute("data-choice-filter"));
      if (list) { filterChoices(list); }
    }
    if (event.target.id === "id_concluded_on") { syncOutcomes(); }
  });
  document.addEventListener("keydown", function (event) {
    // Enter in a filter box filters; it does not submit the form.
    if (event.key === "Enter" && event.target.hasAttribute("data-choice-filter")) { event.preventDefault(); }
  });
  document.addEventListener("DOMContentLoaded", function () {
    each("[data-choice-filter]", function (box) { box.hidden = false; });
    filterAllChoices();
    syncKind();
    syncOutcomes();
    syncOutcomeFields();
    syncAttendance();
  });
})();
