// Draws the dashboard charts from the numbers each page hands over with json_script.
// Without this file (or without Chart.js) the tables under the charts stay open instead.
(() => {
  if (!window.Chart) return;

  // Tailwind's sky-600, emerald-600 and amber-500: the page's own colours.
  const COLOURS = ["#0284c7", "#059669", "#f59e0b"];

  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.color = "#475569";
  // Charts appear complete at once: nothing to wait for on a slow phone, or in a screenshot.
  Chart.defaults.animation = false;

  function draw(figure) {
    const spec = JSON.parse(document.getElementById(figure.dataset.chart).textContent);
    const box = figure.querySelector("[data-chart-box]");
    const [valueAxis, labelAxis] = spec.horizontal ? ["x", "y"] : ["y", "x"];
    box.hidden = false;
    new Chart(box.querySelector("canvas"), {
      type: spec.kind,
      data: {
        labels: spec.labels,
        datasets: spec.series.map((series, index) => ({
          label: series.label,
          data: series.data,
          backgroundColor: COLOURS[index % COLOURS.length],
          borderColor: COLOURS[index % COLOURS.length],
          borderWidth: spec.kind === "line" ? 2 : 0,
          pointRadius: spec.kind === "line" ? 2 : undefined,
          tension: 0,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: spec.horizontal ? "y" : "x",
        interaction: { mode: "index", intersect: false },
        plugins: { legend: { display: spec.series.length > 1, position: "bottom" } },
        scales: {
          [valueAxis]: { beginAtZero: true, ticks: { precision: 0 } },
          // Labels upright, as many as fit: a phone shows every few days of a month.
          [labelAxis]: { ticks: { maxRotation: 0, autoSkipPadding: 8 } },
        },
        // A bar or point opens the customers it counts, like the numbers in the table.
        onClick: (event, elements, chart) => {
          const [element] = chart.getElementsAtEventForMode(event, "nearest", { intersect: true });
          if (element) window.location.href = spec.series[element.datasetIndex].links[element.index];
        },
      },
    });
    figure.querySelector("[data-chart-table]").open = false;
    figure.dataset.chartReady = "true";
  }

  document.querySelectorAll("[data-chart]").forEach(draw);
})();
