// The national roll-up's charts, drawn from the data each canvas carries (data-chart); the table below them holds the
// same figures, so the page reads fully without this file or Chart.js.
(function () {
  if (!window.Chart) return
  var COLOURS = ['#198754', '#fd7e14', '#dc3545', '#0d6efd', '#6c757d']

  function optionsFor(kind) {
    var percent = kind === 'stackedPercent' || kind === 'percent'
    var stacked = kind === 'stackedPercent'
    return {
      responsive: true,
      animation: false,
      plugins: {
        legend: { position: 'bottom' },
        tooltip: {
          callbacks: {
            label: function (context) {
              return context.dataset.label + ': ' + context.formattedValue + (percent ? '%' : '')
            },
          },
        },
      },
      scales: {
        x: { stacked: stacked, ticks: { autoSkip: false, maxRotation: 60 } },
        y: { stacked: stacked, beginAtZero: true, max: percent ? 100 : undefined, ticks: { callback: function (value) { return percent ? value + '%' : value } } },
      },
    }
  }

  var canvases = document.querySelectorAll('canvas[data-chart]')
  for (var i = 0; i < canvases.length; i++) {
    var chart = JSON.parse(canvases[i].getAttribute('data-chart'))
    var datasets = chart.datasets.map(function (dataset, index) {
      return { label: dataset.label, data: dataset.data, backgroundColor: COLOURS[index % COLOURS.length] }
    })
    new window.Chart(canvases[i], { type: 'bar', data: { labels: chart.labels, datasets: datasets }, options: optionsFor(chart.kind) })
  }
})()
