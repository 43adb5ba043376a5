// The desk's live clocks: minutes since arrival tick every second and turn red past the
// standard's administration time; the page reloads every 30 s to show new guests, unless a
// form on it is being filled in. Without JavaScript the page still works (times as loaded).
(function () {
  "use strict";
  var dirty = false;
  document.addEventListener("input", function () { dirty = true; });
  function tick() {
    var now = Date.now();
    document.querySelectorAll("time.vs-clock[data-since]").forEach(function (el) {
      var since = Date.parse(el.getAttribute("data-since"));
      if (isNaN(since)) { return; }
      var seconds = Math.max(0, Math.floor((now - since) / 1000));
      var m = Math.floor(seconds / 60), s = seconds % 60;
      el.textContent = m + ":" + (s < 10 ? "0" : "") + s;
      var limit = parseInt(el.getAttribute("data-limit"), 10);
      el.classList.toggle("vs-late", !isNaN(limit) && seconds > limit * 60);
    });
  }
  tick();
  setInterval(tick, 1000);
  setInterval(function () { if (!dirty && !document.hidden) { window.location.reload(); } }, 30000);
})();
