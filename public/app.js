// Progressive enhancement only: every page works without this file.
(function () {
  var summary = document.querySelector('[data-error-summary]')
  if (summary) summary.focus()

  // Forms marked data-autosave are saved in the background a moment after the user stops typing; the version
  // the server returns goes back into the form, so the next save (or the submit) is not taken for a stale edit.
  var form = document.querySelector('form[data-autosave]')
  if (!form || !window.fetch || !window.URLSearchParams) return
  var status = form.querySelector('[data-autosave-status]')
  var versionField = form.querySelector('[data-version]')
  var timer = null
  var saving = false
  var pending = false

  function say(text) {
    if (status && text) status.textContent = text
  }

  function save() {
    if (saving) {
      pending = true
      return
    }
    saving = true
    var body = new URLSearchParams(new FormData(form))
    fetch(form.getAttribute('data-autosave'), { method: 'POST', body: body, credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) {
        return response.json().then(function (data) {
          if (response.ok) {
            versionField.value = String(data.version)
            say((status.getAttribute('data-saved') || '') + ' ' + data.savedAt)
          } else {
            say(data.error)
          }
        })
      })
      .catch(function () {
        say(status.getAttribute('data-offline'))
      })
      .then(function () {
        saving = false
        if (pending) {
          pending = false
          save()
        }
      })
  }

  function schedule() {
    clearTimeout(timer)
    timer = setTimeout(save, 1500)
  }

  form.addEventListener('input', schedule)
  form.addEventListener('change', schedule)
})()
