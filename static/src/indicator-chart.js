// Draws the indicator page's chart from its JSON data island with plotly's basic bundle
// (loaded before this module by the page; no inline script, for the CSP). Without JavaScript
// the page still has the same figures as a table.
const island = document.getElementById("indicator-chart-data");
const target = document.getElementById("indicator-chart");

if (island && target && window.Plotly) {
  const figure = JSON.parse(island.textContent);
  window.Plotly.newPlot(target, figure.data, figure.layout, {
    responsive: true,
    displayModeBar: false,
    displaylogo: false,
  });
}
