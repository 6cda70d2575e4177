/* The base map of ckanext-spatial's widgets (search by location, dataset extent): Lampang's
 * district outlines from the portal's own boundary file (a JSON script element), and tiles
 * only when ckanext.spatial.common_map.custom_url names a server. Replaces spatial's
 * commonLeafletMap, whose default asks tile.openstreetmap.org (forbidden by the CSP, and
 * nothing may be fetched from the internet at run time). */
(function (ckan) {
  // Marks a message for `make i18n` (babel's N_ keyword): the messages below are translated
  // at run time from the portal's JS catalogue (/api/i18n/<lang>), which CKAN builds from
  // the .po entries that occur in a .js file.
  function N_(message) { return message; }

  // ckanext-spatial's search-by-location widget (spatial_query.js) translates these with its
  // module's this._(); they are its only messages.
  var SPATIAL_MESSAGES = [N_('Please draw query extent in the map:'), N_('Apply'),
                          N_('Cancel'), N_('Draw an extent')];

  // Leaflet.draw's rectangle tool, which that widget uses (its L.drawLocal is English only).
  function translateDrawing() {
    if (!L.drawLocal) { return; }
    var _ = ckan.i18n._;
    var toolbar = L.drawLocal.draw.toolbar;
    toolbar.actions.title = _('Cancel drawing');
    toolbar.actions.text = _('Cancel');
    toolbar.buttons.rectangle = _('Draw a rectangle');
    L.drawLocal.draw.handlers.rectangle.tooltip.start = _('Click and drag to draw rectangle.');
    L.drawLocal.draw.handlers.simpleshape.tooltip.end = _('Release mouse to finish drawing.');
  }

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
    // Shown even where the widgets turn Leaflet's own control off, as spatial's map does:
    // the boundaries' licence (CC BY-IGO) asks for it.
    var credits = map.attributionControl || L.control.attribution().addTo(map);
    credits.setPrefix(false);
    if (url && config.attribution) { credits.addAttribution(config.attribution); }
    translateDrawing();
    var outlines = districts();
    if (outlines) {
      var layer = L.geoJSON(outlines, {
        interactive: false,
        style: {color: '#1b6ca8', weight: 1, fillColor: '#e9f1f8', fillOpacity: 0.5}
      }).addTo(map);
      layer.bringToBack();
      // the boundary file's own source (data/SOURCE.md), in the page's language
      credits.addAttribution(
        ckan.i18n._('Boundaries: RTSD / OCHA HDX COD-AB (CC BY-IGO), simplified'));
      // The widgets set their own view afterwards (the extent searched or shown); this is
      // the view until they do, and the whole province.
      map.fitBounds(layer.getBounds());
    }
    return map;
  };
})(this.ckan);
