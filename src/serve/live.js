// canhbao serve: reloads the page after a good build and shows the error of a failed one over
// the page. Injected into every HTML page by the preview server (never into a build).
(function () {
  "use strict";
  var me = document.getElementById("canhbao-live");
  var generation = me ? me.getAttribute("data-generation") : "0";
  var title = me ? me.getAttribute("data-title") : "";
  function overlay(text) {
    var el = document.getElementById("canhbao-overlay");
    if (!el) {
      el = document.createElement("div");
      el.id = "canhbao-overlay";
      el.setAttribute("role", "alert");
      var heading = document.createElement("p");
      heading.textContent = title;
      el.appendChild(heading);
      el.appendChild(document.createElement("pre"));
      document.body.appendChild(el);
    }
    el.hidden = false;
    el.querySelector("pre").textContent = text;
  }
  document.addEventListener("click", function (e) {
    var el = document.getElementById("canhbao-overlay");
    if (el && el.contains(e.target)) { el.hidden = true; }
  });
  var events = new EventSource("/__canhbao/events");
  events.addEventListener("hello", function (e) {
    if (generation !== e.data) { location.reload(); }
  });
  events.addEventListener("reload", function () { location.reload(); });
  events.addEventListener("build-error", function (e) { overlay(JSON.parse(e.data)); });
})();
