/* Charts of an area's figures with the bundled Chart.js (the data in a JSON script element). */
this.ckan.module('lampangpoverty-chart', function ($) {
  return {
    options: {config: null},

    initialize: function () {
      var source = this.options.config && document.querySelector(this.options.config);
      if (!source || !window.Chart) { return; }
      var config = JSON.parse(source.textContent);
      var canvas = this.el[0];
      var chart = new Chart(canvas, {
        type: config.type,
        data: {labels: config.labels, datasets: config.datasets},
        options: {
          responsive: true, maintainAspectRatio: false, animation: false,
          plugins: {legend: {position: 'bottom'}},
          scales: {y: {beginAtZero: true}}
        }
      });
      var points = 0;
      chart.data.datasets.forEach(function (d) {
        d.data.forEach(function (v) { if (typeof v === 'number') { points += 1; } });
      });
      canvas.setAttribute('data-ready', String(points));
    }
  };
});
