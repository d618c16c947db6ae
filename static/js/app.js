// Small progressive enhancements; every page works without this file.
document.addEventListener("change", (event) => {
  const pageBox = event.target.closest("[data-select-page]");
  if (!pageBox) return;
  const form = pageBox.closest("form");
  form.querySelectorAll('input[name="customer_ids"]').forEach((box) => {
    box.checked = pageBox.checked;
  });
});

// "Change status" says what it will do before it does it: "Change 3 customers to Shortlisted?"
function statusChangeQuestion(button) {
  const form = button.closest("form");
  const select = form.querySelector('select[name="status"]');
  if (!select || !select.value) return null; // nothing chosen: the server says so
  const all = form.querySelector('input[name="select_all"]:checked');
  const count = all
    ? form.dataset.total
    : form.querySelectorAll('input[name="customer_ids"]:checked').length;
  const noun = String(count) === "1" ? "customer" : "customers";
  const label = select.options[select.selectedIndex].text;
  return `Change ${count} ${noun} to “${label}”?`;
}

document.addEventListener("htmx:confirm", (event) => {
  const button = event.detail.elt;
  if (!button.matches("[data-confirm-status]")) return;
  const question = statusChangeQuestion(button);
  if (!question) return;
  event.preventDefault();
  if (window.confirm(question)) event.detail.issueRequest(true);
});

// Quick date picks ("Tomorrow", "In a week") under a date box: hidden until this script runs,
// on the first page and in every fragment htmx swaps in; a pick fills the box, day first.
function revealQuickDates(root) {
  const picks = [...root.querySelectorAll("[data-quick-dates]")];
  if (root.matches?.("[data-quick-dates]")) picks.push(root);
  picks.forEach((group) => {
    group.hidden = false;
  });
}
revealQuickDates(document);
document.addEventListener("htmx:load", (event) => revealQuickDates(event.target));

document.addEventListener("click", (event) => {
  const pick = event.target.closest("[data-fill-date]");
  if (!pick) return;
  const box = document.getElementById(pick.getAttribute("aria-controls"));
  if (!box) return;
  box.value = pick.dataset.fillDate;
  box.dispatchEvent(new Event("change", { bubbles: true }));
});
