/* storyline web app: small progressive enhancements; every page works without this file. */
(function () {
  'use strict';
  // A cited passage: scroll it into view and flash it.
  function showCited() {
    var first = document.getElementById('cited');
    if (!first) return;
    var mark = first.nextElementSibling;
    if (mark && mark.scrollIntoView) mark.scrollIntoView({block: 'center'});
  }
  // Story list filters apply as soon as a select changes.
  function autoSubmit() {
    document.querySelectorAll('form.filters select').forEach(function (sel) {
      sel.addEventListener('change', function () { sel.form.submit(); });
    });
  }
  document.addEventListener('DOMContentLoaded', function () { showCited(); autoSubmit(); });
})();
