// Fields that belong to some kinds of record (app/core/fields.py, info "kinds"): shown only
// while the form's kind is one of theirs. A hidden field's inputs are disabled, so the browser
// does not send them (the server clears such values anyway). The kind may be a plain select or
// one select2 (shipped with FAB) dresses: select2 reports its changes through jQuery.
(function () {
  var script = document.currentScript;
  var form = document.getElementById(script.getAttribute("data-form"));
  var chooser = form && form.elements[script.getAttribute("data-kind")];
  if (!chooser) { return; }
  var kinds = JSON.parse(script.getAttribute("data-kinds"));

  function rowOf(name) {
    var field = form.elements[name];
    if (!field) { return null; }
    var element = field.nodeType ? field : field[0];  // (radio buttons: a list)
    return element.closest("tr") || element.closest(".form-group");
  }

  function update() {
    Object.keys(kinds).forEach(function (name) {
      var row = rowOf(name);
      if (!row) { return; }
      var shown = kinds[name].indexOf(chooser.value) >= 0;
      row.style.display = shown ? "" : "none";
      row.setAttribute("data-kind-hidden", shown ? "false" : "true");
      row.querySelectorAll("input, select, textarea").forEach(function (input) {
        input.disabled = !shown;
      });
    });
  }

  if (window.jQuery) {
    window.jQuery(chooser).on("change", update);
  } else {
    chooser.addEventListener("change", update);
  }
  update();
})();
