// "Add another section/item" for the module forms' Django formsets: clones the formset's empty
// form (kept in a <template>), numbers it and counts it in TOTAL_FORMS. Without JavaScript the
// form still offers its blank extra rows.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-add-row]");
  if (!button) return;
  const prefix = button.dataset.addRow;
  const total = document.getElementById(`id_${prefix}-TOTAL_FORMS`);
  const maximum = document.getElementById(`id_${prefix}-MAX_NUM_FORMS`);
  const template = document.getElementById(`${prefix}-empty`);
  const rows = document.getElementById(`${prefix}-rows`);
  const index = Number(total.value);
  if (maximum && index >= Number(maximum.value)) {
    button.disabled = true;
    return;
  }
  const html = template.innerHTML
    .replaceAll("__prefix__", String(index))
    .replaceAll("__number__", String(index + 1));
  rows.insertAdjacentHTML("beforeend", html);
  total.value = String(index + 1);
  const first = rows.lastElementChild.querySelector("input, textarea, select");
  if (first) first.focus();
});
