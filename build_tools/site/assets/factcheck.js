// The theme's search dialog has no accessible name; give it one in the page's language.
document.addEventListener("DOMContentLoaded", function () {
  var dialog = document.querySelector(".md-search[role='dialog']");
  var input = document.querySelector(".md-search__input");
  if (dialog && !dialog.getAttribute("aria-label") && input) {
    dialog.setAttribute("aria-label", input.getAttribute("aria-label") || input.getAttribute("placeholder") || "");
  }
});

// The claims index: filter by verdict and by topic. The style sheet hides the claims the choices rule
// out (verdicts.css), so the filters work without this script; it says how many claims are shown,
// and how many each option would show given the other filter's choice.
document.addEventListener("DOMContentLoaded", function () {
  var filters = document.querySelector(".fc-filters");
  if (!filters) return;
  var items = Array.prototype.slice.call(document.querySelectorAll(".fc-claim-cards > li"));
  var count = document.querySelector(".fc-count");
  // The count's text by CLDR plural category; the browser's CLDR rules choose as Babel did for the page.
  var forms = count ? JSON.parse(count.dataset.forms) : {};
  var plural = window.Intl && Intl.PluralRules ? new Intl.PluralRules(document.documentElement.lang) : null;
  var groups = Array.prototype.slice.call(filters.querySelectorAll("fieldset[data-filter]"));
  function chosen(group) {
    var checked = group.querySelector("input:checked");
    return checked ? checked.value : "";
  }
  function matches(item, except) {
    return groups.every(function (group) {
      var value = group === except ? "" : chosen(group);
      return !value || item.dataset[group.dataset.filter] === value;
    });
  }
  function update() {
    var shown = items.filter(function (item) { return matches(item, null); }).length;
    groups.forEach(function (group) {
      group.querySelectorAll("label").forEach(function (label) {
        var input = label.querySelector("input");
        var n = items.filter(function (item) {
          return matches(item, group) && (!input.value || item.dataset[group.dataset.filter] === input.value);
        }).length;
        label.querySelector(".fc-n").textContent = "(" + n + ")";
      });
    });
    var form = forms[plural ? plural.select(shown) : "other"] || forms.other;
    if (count) count.textContent = form.replace("{n}", String(shown));
  }
  filters.addEventListener("change", update);
  update();  // a browser may restore earlier choices when the page is opened again
});

// The annotated article: go from one highlighted passage to the next (buttons, or the keys j and k;
// the theme already uses n and p for the next and previous pages).
document.addEventListener("DOMContentLoaded", function () {
  var bar = document.querySelector(".fc-passages");
  if (!bar) return;
  var marks = Array.prototype.slice.call(document.querySelectorAll(".fc-article .fc-mark"));
  var where = bar.querySelector(".fc-passages__where");
  var current = -1;
  function go(step) {
    if (!marks.length) return;
    current = (current + step + marks.length) % marks.length;
    marks[current].focus();
    marks[current].scrollIntoView({ block: "center" });
    where.textContent = where.dataset.template.replace("{n}", current + 1).replace("{total}", marks.length);
  }
  bar.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-step]");
    if (button) go(Number(button.dataset.step));
  });
  marks.forEach(function (mark, index) {
    mark.addEventListener("focus", function () { current = index; });
  });
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (event.altKey || event.ctrlKey || event.metaKey || (target && target.closest("input, textarea, select"))) return;
    if (event.key === "j") go(1);
    if (event.key === "k") go(-1);
  });
  bar.hidden = false;
});
