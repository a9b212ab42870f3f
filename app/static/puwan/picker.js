/* Date and time fields (inputs with data-picker="date" or "datetime", app/core/forms.py): a person
   types "2026-11-28 00:30" (seconds optional) or picks the day and time; the picker speaks the
   page's language (data-locale), whatever the browser's. Filters added to a list later are
   enhanced when first focused. */
(function () {
  "use strict";
  var FORMATS = {date: "Y-m-d", datetime: "Y-m-d H:i"};
  var TYPED = /^\s*(\d{4})[-\/.](\d{1,2})[-\/.](\d{1,2})(?:(?:\s+|T)(\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?)?\s*$/;

  function parse(text) {
    var m = TYPED.exec(text || "");
    if (!m) { return undefined; }
    return new Date(+m[1], m[2] - 1, +m[3], +(m[4] || 0), +(m[5] || 0));
  }

  function enhance(input) {
    if (input._flatpickr || !window.flatpickr) { return input._flatpickr; }
    var lang = input.getAttribute("data-locale") || "en";
    var kind = input.getAttribute("data-picker");
    var picker = flatpickr(input, {
      allowInput: true,
      disableMobile: true,
      enableTime: kind === "datetime",
      time_24hr: true,
      defaultHour: 0,  // a picked day without a time starts at midnight (filters: "after ...")
      dateFormat: FORMATS[kind] || FORMATS.date,
      // Weeks start on Monday, as in the working-day calendar.
      locale: Object.assign({}, flatpickr.l10ns[lang] || flatpickr.l10ns["default"],
                            {firstDayOfWeek: 1}),
      parseDate: parse
    });
    // Text the picker cannot read stays as typed (flatpickr would empty the box): the server
    // then says what it expects.
    var setDate = picker.setDate;
    picker.setDate = function (date) {
      if (typeof date === "string" && date.trim() && !parse(date)) { return; }
      return setDate.apply(picker, arguments);
    };
    return picker;
  }

  function init() {
    document.querySelectorAll("input[data-picker]").forEach(enhance);
    document.addEventListener("focusin", function (event) {
      var input = event.target;
      if (input.matches && input.matches("input[data-picker]") && !input._flatpickr) {
        enhance(input).open();
      }
    });
    document.addEventListener("click", function (event) {
      var addon = event.target.closest && event.target.closest(".puwan-picker .input-group-addon");
      var input = addon && addon.parentNode.querySelector("input[data-picker]");
      if (input) { input.focus(); enhance(input).open(); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
