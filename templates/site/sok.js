// The search page: Pagefind's UI over the index in ../pagefind/ (the people) merged with
// its parts, one per year (../pagefind/delar/<part>/, named in the search
// element's data-delar), with the query of the header form (?q=). Result URLs in every
// index are relative to the site root.
window.addEventListener("DOMContentLoaded", function () {
  var root = new URL("../", window.location.href).pathname;
  var parts = (document.getElementById("search").getAttribute("data-delar") || "")
    .split(" ")
    .filter(function (p) { return p; })
    .map(function (p) {
      return { bundlePath: root + "pagefind/delar/" + p + "/", baseUrl: root };
    });
  var ui = new PagefindUI({
    mergeIndex: parts,
    element: "#search",
    baseUrl: root,
    showImages: false,
    showSubResults: false,
    resetStyles: false,
    autofocus: false
  });
  // The page's visible label names Pagefind's field (WCAG 2.5.3, 3.3.2). Its `for` is set
  // here, not in the HTML: the field exists only now, and a `for` naming no field is invalid.
  var input = document.querySelector("#search input");
  if (input) {
    input.id = "sok-falt";
    document.getElementById("sok-etikett").htmlFor = "sok-falt";
  }
  var q = new URLSearchParams(window.location.search).get("q");
  if (q) {
    ui.triggerSearch(q);
  }
});
