/* Staff complaint page: a search box above the OPD picker filters its options by name or
   acronym as you type (the checked ones always stay visible). */
(function () {
  "use strict";
  // The checkbox list's wrapper (Django puts the class on each checkbox).
  var lists = [];
  document.querySelectorAll("input.opd-picker").forEach(function (box) {
    var list = box.closest("div[id]");
    if (list && lists.indexOf(list) === -1) lists.push(list);
  });
  lists.forEach(function (picker) {
    var search = document.createElement("input");
    search.type = "search";
    search.className = "opd-search";
    var field = picker.closest(".field");
    var title = field && field.querySelector("label");
    search.setAttribute("aria-label", title ? title.textContent.trim() : "OPD");
    search.placeholder = "…";
    picker.parentNode.insertBefore(search, picker);
    var options = picker.querySelectorAll("label");
    search.addEventListener("input", function () {
      var query = search.value.trim().toLowerCase();
      options.forEach(function (label) {
        var box = label.querySelector("input");
        var hit = !query || label.textContent.toLowerCase().indexOf(query) !== -1;
        (label.closest("div") || label).hidden = !(hit || (box && box.checked));
      });
    });
  });
})();
