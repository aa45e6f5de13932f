// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Errors: move focus to the summary; its links move focus to the field.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  // Questions that depend on an answer on the same page appear only when they apply.
  function fieldName(path) { return path.replace(/\./g, "-"); }
  function answers(form, path) {
    var inputs = form.querySelectorAll('[name="' + fieldName(path) + '"]');
    var values = [];
    inputs.forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") && !input.checked) { return; }
      if (input.value.trim() !== "") { values.push(input.value); }
    });
    return values;
  }
  function applies(form, clauses) {
    return clauses.some(function (clause) {
      var values = answers(form, clause.path);
      if (clause.answered) { return values.length > 0; }
      if (clause["in"]) { return values.some(function (v) { return clause["in"].indexOf(v) >= 0; }); }
      if (clause.not_in) { return !values.some(function (v) { return clause.not_in.indexOf(v) >= 0; }); }
      return true;
    });
  }
  document.querySelectorAll("form").forEach(function (form) {
    var dependent = form.querySelectorAll("[data-show-if]");
    if (!dependent.length) { return; }
    function update() {
      dependent.forEach(function (element) {
        element.hidden = !applies(form, JSON.parse(element.getAttribute("data-show-if")));
      });
    }
    form.addEventListener("change", update);
    form.addEventListener("input", update);
    update();
  });

  // One submit per click, however fast the second click comes.
  document.querySelectorAll("form[data-submit-once]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.getAttribute("data-submitting")) { event.preventDefault(); return; }
      form.setAttribute("data-submitting", "yes");
      form.querySelectorAll("button[type=submit]").forEach(function (b) { b.setAttribute("aria-disabled", "true"); });
    });
  });

  // Print buttons appear only when they can work.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
