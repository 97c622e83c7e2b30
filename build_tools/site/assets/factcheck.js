// The theme's search dialog has no accessible name; give it one in the page's language.
document.addEventListener("DOMContentLoaded", function () {
  var dialog = document.querySelector(".md-search[role='dialog']");
  if (dialog && !dialog.getAttribute("aria-label")) {
    dialog.setAttribute("aria-label", document.documentElement.lang === "fr" ? "Recherche" : "Search");
  }
});

// The verdict filter on the claims index: rows stay in the page, so it works without JS too.
document.addEventListener("DOMContentLoaded", function () {
  var select = document.getElementById("fc-filter");
  if (!select) return;
  var rows = document.querySelectorAll(".fc-claims tbody tr");
  var count = document.querySelector(".fc-count");
  var template = count ? count.textContent.replace(/\d+/, "{n}") : "";
  select.addEventListener("change", function () {
    var shown = 0;
    rows.forEach(function (row) {
      var visible = !select.value || row.dataset.verdict === select.value;
      row.hidden = !visible;
      if (visible) shown += 1;
    });
    if (count) count.textContent = template.replace("{n}", String(shown));
  });
});
