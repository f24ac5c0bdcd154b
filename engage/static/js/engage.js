// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";
  // Move focus to the error summary, for browsers that ignore autofocus on non-form elements.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) { summary.focus(); }
})();
