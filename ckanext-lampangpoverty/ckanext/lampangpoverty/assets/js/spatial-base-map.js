/* The base map of ckanext-spatial's widgets (search by location, dataset extent): Lampang's
 * district outlines from the portal's own boundary file (a JSON script element), and tiles
 * only when ckanext.spatial.common_map.custom_url names a server. Replaces spatial's
 * commonLeafletMap, whose default asks tile.openstreetmap.org (forbidden by the CSP, and
 * nothing may be fetched from the internet at run time). */
(function (ckan) {
  function districts() {
    var el = document.getElementById('lampangpoverty-districts');
    return el ? JSON.parse(el.textContent) : null;
  }

  ckan.commonLeafletMap = function (container, mapConfig, leafletMapOptions,
                                    leafletBaseLayerOptions) {
    var config = mapConfig || {};
    var map = new L.Map(container, leafletMapOptions || {});
    var url = config.custom_url || config['custom.url'] || '';
    if (url) {
      var options = jQuery.extend(leafletBaseLayerOptions || {}, {maxZoom: 18});
      new L.TileLayer(url, options).addTo(map);
    }
    if (map.attributionControl) { map.attributionControl.setPrefix(false); }
    var outlines = districts();
    if (outlines) {
      var layer = L.geoJSON(outlines, {
        interactive: false,
        attribution: config.attribution || '',
        style: {color: '#1b6ca8', weight: 1, fillColor: '#e9f1f8', fillOpacity: 0.5}
      }).addTo(map);
      layer.bringToBack();
      // The widgets set their own view afterwards (the extent searched or shown); this is
      // the view until they do, and the whole province.
      map.fitBounds(layer.getBounds());
    }
    return map;
  };
})(this.ckan);
