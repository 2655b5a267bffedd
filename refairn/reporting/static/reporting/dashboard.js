// Draws the dashboard's four charts from the figures the page embeds (json_script). Every
// chart has its figures in a table on the page too, so nothing depends on this script.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("dashboard-charts");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const colors = { blue: "#0b5cad", grey: "#6b7280", green: "#1d6b2f", amber: "#b07400", red: "#a4161a" };
  const common = { responsive: true, maintainAspectRatio: false, animation: false };
  const percentAxis = { beginAtZero: true, max: 100, ticks: { callback: (v) => `${v}%` } };
  const countAxis = { beginAtZero: true, ticks: { precision: 0 } };

  const draw = (id, config) => {
    const canvas = document.getElementById(id);
    if (canvas) new Chart(canvas, config);
  };

  draw("chart-completion", {
    type: "bar",
    data: {
      labels: data.completion.labels,
      datasets: [
        { label: "Certified (%)", data: data.completion.completed, backgroundColor: colors.blue },
        { label: "Target (%)", data: data.completion.targets, backgroundColor: colors.grey },
      ],
    },
    options: { ...common, scales: { y: percentAxis } },
  });

  draw("chart-renewals", {
    type: "bar",
    data: {
      labels: data.renewals.labels,
      datasets: [
        { label: "Renewed", data: data.renewals.completed, backgroundColor: colors.green, stack: "q" },
        { label: "Pending", data: data.renewals.pending, backgroundColor: colors.amber, stack: "q" },
        { label: "Overdue", data: data.renewals.overdue, backgroundColor: colors.red, stack: "q" },
        { label: "Due within 30 days", data: data.renewals.due_soon, backgroundColor: colors.blue, stack: "soon" },
      ],
    },
    options: { ...common, scales: { x: { stacked: true }, y: { ...countAxis, stacked: true } } },
  });

  draw("chart-trend", {
    type: "line",
    data: {
      labels: data.trend.labels,
      datasets: [{ label: "Overdue flags", data: data.trend.flags, borderColor: colors.red, backgroundColor: colors.red, tension: 0.2 }],
    },
    options: { ...common, scales: { y: countAxis } },
  });

  draw("chart-ratings", {
    type: "bar",
    data: {
      labels: data.ratings.labels,
      datasets: [{ label: "Ratings", data: data.ratings.counts, backgroundColor: colors.blue }],
    },
    options: { ...common, plugins: { legend: { display: false } }, scales: { y: countAxis } },
  });
});
