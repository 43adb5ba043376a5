/* Accessible names the Django admin's own widgets leave out (axe-core, WCAG 2.1 AA):
 * - select2 autocomplete boxes (autocomplete_fields) are named by their selected value only,
 *   and their inline search field by nothing: both get the field's label;
 * - form controls in tabular inlines have no <label>: they get their column's header;
 * - the search icons of filter_horizontal carry aria-label on a plain <span>: they become images.
 * Runs after the admin's scripts (window load) and again whenever a row is added. */
(function () {
  "use strict";
  var counter = 0;

  function text(el) {
    return el ? el.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function columnHeader(control) {
    var cell = control.closest("td");
    var table = control.closest("table");
    if (!cell || !table || !table.tHead) return "";
    var row = table.tHead.rows[table.tHead.rows.length - 1];
    var index = 0;
    for (var c = cell; c.previousElementSibling; c = c.previousElementSibling) {
      index += c.previousElementSibling.colSpan || 1;
    }
    var position = 0;
    for (var i = 0; i < row.cells.length; i++) {
      if (position >= index) return text(row.cells[i]);
      position += row.cells[i].colSpan || 1;
    }
    return "";
  }

  function nameOf(control) {
    if (control.id) {
      var label = document.querySelector('label[for="' + control.id + '"]');
      if (text(label)) return text(label);
    }
    return columnHeader(control);
  }

  function hasName(control) {
    if (control.getAttribute("aria-label") || control.getAttribute("aria-labelledby")) return true;
    if (control.closest("label")) return true;
    return !!(control.id && text(document.querySelector('label[for="' + control.id + '"]')));
  }

  function nameSpan(name) {
    var span = document.createElement("span");
    span.id = "a11y-name-" + ++counter;
    span.hidden = true;
    span.textContent = name;
    document.body.appendChild(span);
    return span.id;
  }

  function fixSelect2() {
    document.querySelectorAll("select.admin-autocomplete").forEach(function (select) {
      var box = select.nextElementSibling;
      if (!box || !box.classList.contains("select2") || box.dataset.a11yNamed) return;
      var name = nameOf(select);
      if (!name) return;
      box.dataset.a11yNamed = "1";
      var id = nameSpan(name);
      box.querySelectorAll(".select2-selection").forEach(function (selection) {
        var current = selection.getAttribute("aria-labelledby");
        selection.setAttribute("aria-labelledby", current ? id + " " + current : id);
      });
      // The box showing the current choice is a read-only textbox of its own.
      box.querySelectorAll(".select2-selection__rendered[role=textbox]").forEach(function (shown) {
        shown.setAttribute("aria-labelledby", id + " " + shown.id);
      });
      box.querySelectorAll(".select2-search__field").forEach(function (field) {
        field.setAttribute("aria-label", name);
      });
    });
    document.querySelectorAll(".select2-search__field:not([aria-label])").forEach(function (field) {
      field.setAttribute("aria-label", document.documentElement.lang === "en" ? "Search" : "Cari");
    });
  }

  function fixInlines() {
    document.querySelectorAll(".tabular td input, .tabular td select, .tabular td textarea")
      .forEach(function (control) {
        if (control.type === "hidden" || hasName(control)) return;
        var name = columnHeader(control);
        if (name) control.setAttribute("aria-label", name);
      });
  }

  function fixIcons() {
    document.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (span) {
      span.setAttribute("role", "img");
    });
  }

  function fix() {
    fixSelect2();
    fixInlines();
    fixIcons();
  }

  window.addEventListener("load", function () {
    fix();
    var pending = false;
    new MutationObserver(function () {
      if (pending) return;
      pending = true;
      window.requestAnimationFrame(function () {
        pending = false;
        fix();
      });
    }).observe(document.body, { childList: true, subtree: true });
  });
})();
