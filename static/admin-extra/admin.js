/* The staff admin's own behaviour (a static file: the CSP allows no inline script).
 *
 * 1. A language tab whose panel holds an error is marked (a dot, and words for screen
 *    readers), shown, and focused. modeltranslation does this only when the field's row
 *    has the "errors" class, which Django 6 moved to the field's own box.
 * 2. No time-zone note under a date-only field: a date has no time to shift. Django's
 *    calendar adds the note to every date input; fields with a time keep it.
 */
(function () {
  "use strict";

  function markLanguageTabsWithErrors() {
    var $ = window.django && window.django.jQuery;
    if (!$ || !$.fn.tabs) {
      return;
    }
    var label = document.querySelector('meta[name="xmess-tab-error-label"]');
    var words = label ? label.content : "";
    var firstTab = null;
    $(".ui-tabs").each(function () {
      var $container = $(this);
      var activated = false;
      $container.children("ul").children("li").each(function (index) {
        var $tab = $(this);
        var $link = $tab.children("a");
        var panel = document.getElementById(($link.attr("href") || "").replace(/^#/, ""));
        if (!panel || !panel.querySelector(".errorlist, .errors")) {
          return;
        }
        $tab.addClass("ui-tab-has-errors");
        if (words && !$link.find(".xmess-tab-error").length) {
          $link.append($("<span>", { "class": "visually-hidden xmess-tab-error", text: " " + words }));
        }
        if (!activated) {
          $container.tabs("option", "active", index);
          activated = true;
        }
        if (!firstTab) {
          firstTab = $link.get(0);
        }
      });
    });
    if (firstTab) {
      firstTab.focus();
    }
  }

  function dropTimezoneNotesOfDateOnlyFields() {
    document.querySelectorAll("input.vDateField").forEach(function (input) {
      // Django puts the note beside the input's wrapper, in the field's box.
      var box = input.parentNode.parentNode;
      if (!box || box.querySelector("input.vTimeField")) {
        return; // a date and a time: the note is right
      }
      box.querySelectorAll(".timezonewarning").forEach(function (note) {
        note.remove();
      });
    });
  }

  window.addEventListener("load", function () {
    // After the other load handlers (Django's calendar adds its notes on load).
    window.setTimeout(function () {
      markLanguageTabsWithErrors();
      dropTimezoneNotesOfDateOnlyFields();
    }, 0);
  });
})();
