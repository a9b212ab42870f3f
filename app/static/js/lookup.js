// A relation chosen by typing (app/core/lookup.py): select2, shipped with Flask-AppBuilder, asks
// the select's data-url for ?q=<what was typed> and lists name, code and department.
$(function () {
  $("select.puwan-lookup").not(".select2-hidden-accessible").each(function () {
    var select = $(this);
    var text = select.data("messages") || {};
    function say(key) { return function () { return text[key] || ""; }; }
    select.select2({
      theme: "bootstrap",
      width: "100%",
      allowClear: true,
      placeholder: select.data("placeholder") || "",
      minimumInputLength: 1,
      ajax: {
        url: select.data("url"),
        dataType: "json",
        delay: 250,
        data: function (params) { return {q: params.term}; },
        processResults: function (data) { return {results: data.results || []}; }
      },
      language: {
        inputTooShort: say("inputTooShort"), searching: say("searching"),
        noResults: say("noResults"), errorLoading: say("errorLoading"),
        removeAllItems: say("removeAllItems")
      },
      templateResult: function (item) {
        if (!item.id || !item.uscc) { return item.text; }
        // (the detail line keeps the row's colour, readable on the highlighted row too)
        return $("<div>").append($("<strong>").text(item.name)).append(
          $("<div class='small' style='opacity:.8'>").text(item.uscc + " · " + item.department));
      }
    });
    // select2 4.0.13 under jQuery 3.6 leaves the focus on the closed box: what the clerk types
    // right after clicking it would be lost. Put the focus into the search field.
    select.on("select2:open", function () {
      var field = document.querySelector(".select2-container--open .select2-search__field");
      if (field) { field.focus(); }
    });
  });
});
