/* storyline static report: one page at a time, chosen by the URL hash
   (#stories, #articles, #story/ID, #article/ID, #article/ID/START-END, or any element id). */
(function () {
  'use strict';
  var pages = Array.prototype.slice.call(document.querySelectorAll('section.page'));
  function byRoute(route) {
    for (var i = 0; i < pages.length; i++) { if (pages[i].getAttribute('data-route') === route) return pages[i]; }
    return null;
  }
  function route() {
    var hash = decodeURIComponent(location.hash.slice(1)) || 'stories';
    var parts = hash.split('/');
    var target = null, passage = null, element = null;
    if ((parts[0] === 'story' || parts[0] === 'article') && parts.length > 1) {
      target = byRoute(parts[0] + '/' + parts[1]);
      passage = parts[2] || null;
    } else {
      target = byRoute(hash);
    }
    if (!target) {
      element = document.getElementById(hash);
      target = element ? element.closest('section.page') : null;
    }
    if (!target) target = byRoute('stories');
    pages.forEach(function (p) { p.hidden = p !== target; });
    document.querySelectorAll('mark.cited').forEach(function (m) { m.classList.remove('cited'); });
    if (passage && /^\d+-\d+$/.test(passage)) {
      var marks = target.querySelectorAll('mark.c' + passage);
      marks.forEach(function (m) { m.classList.add('cited'); });
      if (marks.length) { marks[0].scrollIntoView({block: 'center'}); return; }
    }
    if (element) element.scrollIntoView(); else window.scrollTo(0, 0);
  }
  window.addEventListener('hashchange', route);
  route();
  var box = document.getElementById('story-filter');
  if (box) {
    box.addEventListener('input', function () {
      var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      document.querySelectorAll('#story-table tr.story-row').forEach(function (row) {
        var text = row.textContent.toLowerCase();
        row.hidden = !words.every(function (w) { return text.indexOf(w) !== -1; });
      });
    });
  }
})();
