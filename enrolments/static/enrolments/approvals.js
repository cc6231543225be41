// "Select all" for the approvals' bulk form: shown only where scripts run.
document.querySelectorAll("[data-select-all]").forEach((box) => {
  const name = box.dataset.selectAll;
  const boxes = () => document.querySelectorAll(`input[type=checkbox][name="${name}"]`);
  box.hidden = false;
  box.closest("label").hidden = false;
  box.addEventListener("change", () => boxes().forEach((b) => { b.checked = box.checked; }));
});
