/* Wall mode: htmx polls the figures; this keeps "last updated" honest and warns when
 * updates stop (three missed polls, or a failed request). */
(function () {
  "use strict";
  var clock = document.getElementById("wall-updated");
  var stale = document.getElementById("wall-stale");
  if (!clock || !stale) return;
  var poll = parseInt(clock.dataset.poll, 10) || 15;
  var last = Date.now();
  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function stamp() {
    var d = new Date();
    clock.textContent = pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds());
  }
  document.body.addEventListener("htmx:afterSwap", function () {
    last = Date.now();
    stamp();
    stale.hidden = true;
    document.body.classList.remove("is-stale");
  });
  function markStale() { stale.hidden = false; document.body.classList.add("is-stale"); }
  document.body.addEventListener("htmx:responseError", markStale);
  document.body.addEventListener("htmx:sendError", markStale);
  setInterval(function () { if (Date.now() - last > poll * 3000) markStale(); }, 1000);
})();
