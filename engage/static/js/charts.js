// Draw the charts whose figures a results page embeds as JSON. The tables beside them carry the
// same figures, so nothing is lost without JavaScript.
(function () {
  "use strict";
  var data = document.getElementById("chart-data");
  if (!data || typeof Plotly === "undefined") { return; }
  var figures = JSON.parse(data.textContent);
  Object.keys(figures).forEach(function (id) {
    var target = document.getElementById(id);
    if (!target) { return; }
    target.classList.add("chart--drawn");
    Plotly.newPlot(target, figures[id].data, figures[id].layout,
      { displayModeBar: false, responsive: true });
  });
})();
