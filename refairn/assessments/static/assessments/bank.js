// Draws the adaptive bank's information curve from the figures the page embeds (json_script),
// with the cut as a vertical line. The table under the chart has the figures too, so nothing
// depends on this script.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("information-curve-data");
  const canvas = document.getElementById("chart-information");
  if (!source || !canvas || typeof Chart === "undefined") return;
  const curve = JSON.parse(source.textContent);
  const points = curve.theta.map((theta, n) => ({ x: theta, y: curve.information[n] }));
  const top = Math.max(...curve.information);
  new Chart(canvas, {
    type: "scatter",
    data: {
      datasets: [
        { label: "Test information", data: points, showLine: true, pointRadius: 0, borderColor: "#0b5cad" },
        {
          label: "Cut",
          data: [{ x: curve.cut, y: 0 }, { x: curve.cut, y: top }],
          showLine: true,
          pointRadius: 0,
          borderColor: "#a4161a",
          borderDash: [6, 4],
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { type: "linear", title: { display: true, text: "Ability (θ)" } },
        y: { beginAtZero: true, title: { display: true, text: "Information" } },
      },
    },
  });
});
