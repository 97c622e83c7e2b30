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
