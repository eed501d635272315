// yusuan web: progressive enhancement only (every page works without it).
// Drag and drop onto the upload area; Plotly charts from JSON data blocks.
(function () {
  "use strict";
  function dropzone() {
    var drop = document.getElementById("drop");
    var input = document.getElementById("file-input");
    var form = document.getElementById("upload-form");
    if (!drop || !input || !form) return;
    ["dragenter", "dragover"].forEach(function (ev) {
      drop.addEventListener(ev, function (e) { e.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (ev) {
      drop.addEventListener(ev, function (e) { e.preventDefault(); drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (e) {
      if (e.dataTransfer && e.dataTransfer.files.length) {
        input.files = e.dataTransfer.files;
        form.submit();
      }
    });
    input.addEventListener("change", function () {
      var span = drop.querySelector("span");
      if (span) span.textContent = Array.prototype.map.call(input.files, function (f) { return f.name; }).join("、");
    });
  }
  function charts() {
    if (typeof window.Plotly === "undefined") return;
    document.querySelectorAll("script.chart-data").forEach(function (node) {
      var target = document.getElementById(node.getAttribute("data-target"));
      if (!target) return;
      var fig = JSON.parse(node.textContent);
      window.Plotly.newPlot(target, fig.data, fig.layout, { responsive: true, displaylogo: false });
    });
  }
  document.addEventListener("DOMContentLoaded", function () { dropzone(); charts(); });
})();
