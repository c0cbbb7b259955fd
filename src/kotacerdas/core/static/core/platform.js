// Small behaviours any page can use through data- attributes, so that no template needs an
// inline script or handler (the Content-Security-Policy allows scripts from static files only).
//   <button data-print>            prints the page
//   <form data-submit-once>        disables its submit buttons once it is submitted
document.addEventListener("click", function (event) {
  var target = event.target instanceof Element ? event.target.closest("[data-print]") : null;
  if (target) {
    event.preventDefault();
    window.print();
  }
});
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form instanceof HTMLFormElement && form.hasAttribute("data-submit-once")) {
    window.setTimeout(function () {
      form.querySelectorAll("button[type=submit], input[type=submit]").forEach(function (b) {
        b.disabled = true;
      });
    }, 0);
  }
});
