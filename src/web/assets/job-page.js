// The job page's script: follows the job's event stream (log lines, status, end) and draws the
// plots with Vega-Lite, all from this server (the page's CSP allows nothing else).
(function () {
  "use strict";
  var dataElement = document.getElementById("job-data");
  if (!dataElement) return;
  var data = JSON.parse(dataElement.textContent || "{}");
  var main = document.getElementById("job");
  var log = document.getElementById("log");
  var note = document.getElementById("log-note");
  var MAX_LINES = 5000;
  var drawn = "";

  function draw(plots) {
    var key = JSON.stringify(plots);
    if (key === drawn) return;
    drawn = key;
    var charts = document.querySelectorAll("#plots .chart");
    for (var i = 0; i < charts.length; i++) {
      var el = charts[i];
      var spec = plots[Number(el.getAttribute("data-plot"))];
      if (!spec || !window.vega || !window.vegaLite || !window.vegaInterpreter) continue;
      try {
        var compiled = window.vegaLite.compile(spec).spec;
        // ast + the interpreter: no eval, which the CSP forbids.
        var runtime = window.vega.parse(compiled, null, { ast: true });
        var view = new window.vega.View(runtime, { expr: window.vegaInterpreter.expressionInterpreter, renderer: "svg", container: el, hover: true });
        view.runAsync().then(function (v) {
          v.container().setAttribute("data-drawn", "true");
        });
      } catch (error) {
        el.textContent = "This chart could not be drawn: " + error.message;
      }
    }
  }

  function atBottom() {
    return log.scrollHeight - log.scrollTop - log.clientHeight < 40;
  }

  function appendLines(lines) {
    var follow = atBottom();
    var text = "";
    for (var i = 0; i < lines.length; i++) text += lines[i][1] + "\n";
    log.appendChild(document.createTextNode(text));
    // Keep the page light on long logs: drop the oldest text.
    while (log.childNodes.length > MAX_LINES / 50) log.removeChild(log.firstChild);
    if (follow) log.scrollTop = log.scrollHeight;
  }

  function setSections(sections) {
    for (var id in sections) {
      var el = document.getElementById(id);
      if (el && el.innerHTML !== sections[id]) el.innerHTML = sections[id];
    }
  }

  draw(data.plots || []);
  log.scrollTop = log.scrollHeight;
  if (data.state !== "queued" && data.state !== "running" && !data.events) return;

  var source = new EventSource(data.events);
  source.addEventListener("log", function (event) {
    appendLines(JSON.parse(event.data));
  });
  source.addEventListener("gap", function (event) {
    note.textContent = JSON.parse(event.data).lines + " earlier lines are no longer kept live: the full log is under Artifacts once the job ends.";
  });
  source.addEventListener("status", function (event) {
    var status = JSON.parse(event.data);
    main.setAttribute("data-state", status.state);
    var toneOf = { queued: "idle", running: "busy", succeeded: "ok", failed: "bad", cancelled: "idle", timed_out: "bad" };
    document.getElementById("status").className = "status tone-" + (toneOf[status.state] || "idle");
    var plotsBefore = document.getElementById("plots").innerHTML;
    setSections(status.sections);
    if (document.getElementById("plots").innerHTML !== plotsBefore) drawn = "";
    draw(status.plots || []);
  });
  source.addEventListener("end", function (event) {
    source.close();
    var state = JSON.parse(event.data).state;
    main.setAttribute("data-state", state);
    main.setAttribute("data-ended", "true");
    note.textContent = "The job ended (" + state.replace("_", " ") + ").";
  });
  source.onerror = function () {
    if (main.getAttribute("data-ended") !== "true") note.textContent = "Connection lost; reconnecting…";
  };
  source.onopen = function () {
    if (main.getAttribute("data-ended") !== "true") note.textContent = "Live: new lines appear as the job writes them.";
  };
})();
