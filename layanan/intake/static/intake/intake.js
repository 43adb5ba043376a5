// Keyboard triage for the intake queue (progressive: every action also works without it).
// List: j / k move between rows, Enter opens. Message: 1 / 2 / 3 open the three choices.
(function () {
  "use strict";
  function typing(event) {
    var t = event.target;
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }
  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey || typing(event)) return;
    var list = document.querySelector("[data-keyboard-list] tbody");
    if (list && (event.key === "j" || event.key === "k" || event.key === "Enter")) {
      var rows = Array.prototype.slice.call(list.querySelectorAll("tr"));
      var current = list.querySelector("tr.is-current");
      var index = rows.indexOf(current);
      if (event.key === "Enter") {
        if (current) { current.querySelector("a").click(); event.preventDefault(); }
        return;
      }
      if (current) current.classList.remove("is-current");
      index = event.key === "j" ? Math.min(rows.length - 1, index + 1) : Math.max(0, index - 1);
      rows[index].classList.add("is-current");
      rows[index].querySelector("a").focus();
      event.preventDefault();
      return;
    }
    var choice = document.querySelector('details[data-key="' + event.key + '"]');
    if (choice) {
      document.querySelectorAll("details[data-key]").forEach(function (d) { d.open = d === choice; });
      var first = choice.querySelector("input:not([type=hidden]), textarea, select");
      if (first) first.focus();
      event.preventDefault();
    }
  });
})();
