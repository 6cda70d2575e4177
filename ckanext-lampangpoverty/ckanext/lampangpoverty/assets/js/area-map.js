/* Area maps: the boundaries of the areas (a GeoJSON FeatureCollection in a JSON script
 * element), coloured by their value, each linking to its profile. No tile server is asked
 * unless one is configured. */
this.ckan.module('lampangpoverty-area-map', function ($) {
  var PALETTE = ['#fde0c5', '#facba6', '#f8b58b', '#f59e72', '#f2855d', '#ef6a4c', '#eb4a40'];

  // CKAN reads an empty data-module-* attribute as true: only strings count.
  function text(value) { return typeof value === 'string' ? value : ''; }

  function readJson(selector) {
    selector = text(selector);
    if (!selector) { return null; }
    var el = document.querySelector(selector);
    return el ? JSON.parse(el.textContent) : null;
  }

  function colour(value, max) {
    if (value === null || value === undefined || !max) { return '#e9ecef'; }
    var i = Math.min(PALETTE.length - 1, Math.floor((value / max) * PALETTE.length));
    return PALETTE[i];
  }

  return {
    options: {features: null, outline: null, tiles: '', attribution: '', legend: ''},

    initialize: function () {
      var data = readJson(this.options.features);
      if (!data || !window.L) { return; }
      var el = this.el[0];
      var tiles = text(this.options.tiles);
      var map = L.map(el, {attributionControl: !!tiles, scrollWheelZoom: false,
                          zoomSnap: 0.25});
      if (tiles) {
        L.tileLayer(tiles, {attribution: text(this.options.attribution)}).addTo(map);
      }
      var outline = readJson(this.options.outline);
      if (outline) {
        L.geoJSON(outline, {interactive: false,
          style: {color: '#1b6ca8', weight: 3, fill: false}}).addTo(map);
      }
      var max = 0;
      data.features.forEach(function (f) {
        if (typeof f.properties.value === 'number') { max = Math.max(max, f.properties.value); }
      });
      var layer = L.geoJSON(data, {
        style: function (f) {
          return {color: f.properties.current ? '#1b6ca8' : '#495057',
                  weight: f.properties.current ? 3 : 1,
                  fillColor: colour(f.properties.value, max), fillOpacity: 0.85};
        },
        onEachFeature: function (f, l) {
          var text = f.properties.name;
          if (typeof f.properties.value === 'number') {
            text += ': ' + Math.round(f.properties.value).toLocaleString();
          }
          l.bindTooltip(text, {sticky: true});
          l.on('click', function () { window.location.href = f.properties.href; });
          l.on('add', function () {
            var path = l.getElement && l.getElement();
            if (path) {
              path.setAttribute('data-code', f.properties.code);
              path.setAttribute('aria-label', text);
            }
          });
        }
      }).addTo(map);
      var bounds = layer.getBounds();
      if (bounds.isValid()) { map.fitBounds(bounds, {padding: [8, 8]}); }
      if (text(this.options.legend) && max) {
        var legend = document.createElement('div');
        legend.className = 'lampangpoverty-map-legend small';
        legend.textContent = text(this.options.legend) + ': 0 – ' +
          Math.round(max).toLocaleString();
        el.parentNode.insertBefore(legend, el.nextSibling);
      }
      el.setAttribute('data-ready', String(data.features.length));
    }
  };
});
