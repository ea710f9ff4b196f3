// Progressive enhancement only: every page works without this file.
(function () {
  // A table wider than the screen scrolls in its own box, which the keyboard can reach and scroll.
  function boxTables() {
    document.querySelectorAll('main table').forEach(function (table) {
      var box = table.parentElement
      if (!box.classList.contains('table-responsive')) {
        box = document.createElement('div')
        box.className = 'table-responsive'
        table.parentNode.insertBefore(box, table)
        box.appendChild(table)
      }
      if (box.scrollWidth > box.clientWidth) box.setAttribute('tabindex', '0')
      else box.removeAttribute('tabindex')
    })
  }
  boxTables()
  window.addEventListener('resize', boxTables)

  // What cannot be undone (signing, submitting, closing, anonymising) asks first, saying what will happen.
  document.addEventListener('submit', function (event) {
    var control = event.submitter
    var message = control && control.getAttribute('data-confirm')
    if (message && !window.confirm(message)) event.preventDefault()
  })
})()

;(function () {
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
  // A submit pressed while a background save is on its way waits for it, then goes with the version it returned.
  var submitAfterSave = null
  var submitting = false

  function say(text) {
    if (status && text) status.textContent = text
  }

  function afterSave() {
    saving = false
    if (submitAfterSave) {
      var submitter = submitAfterSave
      submitAfterSave = null
      submitting = true
      if (form.requestSubmit) form.requestSubmit(submitter)
      else form.submit()
    } else if (pending) {
      pending = false
      save()
    }
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
      .then(afterSave)
  }

  function schedule() {
    clearTimeout(timer)
    timer = setTimeout(save, 1500)
  }

  form.addEventListener('input', schedule)
  form.addEventListener('change', schedule)
  form.addEventListener('submit', function (event) {
    if (submitting) return
    // The submit carries everything on the screen: a save still waiting to start is not needed.
    clearTimeout(timer)
    pending = false
    if (saving) {
      event.preventDefault()
      submitAfterSave = event.submitter || null
    }
  })
})()
