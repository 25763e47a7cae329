// The dashboard's charts, drawn from the figures the page carries (no inline script: the CSP forbids it).
(function () {
  'use strict';
  var COLOURS = ['#0b5cad', '#c2410c', '#15803d', '#7e22ce', '#b91c1c', '#0e7490', '#a16207', '#be185d'];

  function draw(canvas) {
    var labels = JSON.parse(canvas.getAttribute('data-labels') || '[]');
    var datasets = [{
      label: canvas.getAttribute('data-label'),
      data: JSON.parse(canvas.getAttribute('data-values') || '[]'),
      backgroundColor: canvas.getAttribute('data-type') === 'line' ? COLOURS[0] : COLOURS,
      borderColor: COLOURS[0]
    }];
    if (canvas.getAttribute('data-values2')) {
      datasets.push({
        label: canvas.getAttribute('data-label2'),
        data: JSON.parse(canvas.getAttribute('data-values2')),
        backgroundColor: COLOURS[2], borderColor: COLOURS[2]
      });
    }
    // eslint-disable-next-line no-new
    new Chart(canvas, {
      type: canvas.getAttribute('data-type'),
      data: { labels: labels, datasets: datasets },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { display: canvas.getAttribute('data-type') !== 'bar' } },
        scales: canvas.getAttribute('data-type') === 'doughnut' ? {} : { y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
    canvas.setAttribute('data-drawn', 'true');
  }

  document.addEventListener('DOMContentLoaded', function () {
    if (typeof Chart === 'undefined') {
      return;
    }
    Array.prototype.forEach.call(document.querySelectorAll('canvas.chart'), draw);
  });
})();
