// Progressive enhancement only: every page works without this file.
(function () {
  var summary = document.querySelector('[data-error-summary]')
  if (summary) summary.focus()
})()
