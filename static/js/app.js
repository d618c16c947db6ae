// Small progressive enhancements; every page works without this file.
document.addEventListener("change", (event) => {
  const pageBox = event.target.closest("[data-select-page]");
  if (!pageBox) return;
  const form = pageBox.closest("form");
  form.querySelectorAll('input[name="customer_ids"]').forEach((box) => {
    box.checked = pageBox.checked;
  });
});
