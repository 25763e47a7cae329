// The overview map: the list's incidents as pins coloured by status, each opening its incident.
(function () {
  'use strict';

  function text(tag, className, value) {
    var el = document.createElement(tag);
    if (className) {
      el.className = className;
    }
    el.textContent = value;
    return el;
  }

  document.addEventListener('DOMContentLoaded', function () {
    var el = document.getElementById('overview-map');
    if (!el || typeof L === 'undefined') {
      return;
    }
    var tiles = document.body.getAttribute('data-tile-url') || 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
    var attribution = document.body.getAttribute('data-tile-attribution') || '&copy; OpenStreetMap contributors';
    var map = L.map(el).setView([parseFloat(el.getAttribute('data-center-lat')),
      parseFloat(el.getAttribute('data-center-lng'))], 13);
    L.tileLayer(tiles, { maxZoom: 19, attribution: attribution }).addTo(map);

    // The town's areas (the announcements' ones), outlined.
    Array.prototype.forEach.call(document.querySelectorAll('#map-areas li'), function (area) {
      try {
        L.geoJSON(JSON.parse(area.getAttribute('data-geometry')), {
          style: { color: '#7e22ce', weight: 2, fill: false, dashArray: '4 4' }
        }).bindTooltip(area.getAttribute('data-name')).addTo(map);
      } catch (e) { /* an area that is not GeoJSON is left out */ }
    });

    // Pins close together on the screen gather into one circle with their count (the most pressing state shows:
    // overdue, then new); a click zooms in to them, and pins on the very same spot spread out.
    var rank = { CLOSED: 0, IN_PROGRESS: 1, NEW: 2 };
    var pins = typeof L.markerClusterGroup === 'function' ? L.markerClusterGroup({
      maxClusterRadius: 45,
      showCoverageOnHover: false,
      iconCreateFunction: function (cluster) {
        var worst = 'CLOSED';
        var overdue = false;
        cluster.getAllChildMarkers().forEach(function (m) {
          if (rank[m.options.status] > rank[worst]) {
            worst = m.options.status;
          }
          overdue = overdue || m.options.overdue;
        });
        var count = cluster.getChildCount();
        var size = count < 10 ? 34 : count < 100 ? 40 : 48;
        return L.divIcon({
          className: 'incident-cluster status-' + worst + (overdue ? ' overdue' : ''),
          html: '<span>' + count + '</span>',
          iconSize: [size, size]
        });
      }
    }) : L.layerGroup();
    map.addLayer(pins);
    fetch(el.getAttribute('data-source'), { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { return r.json(); })
      .then(function (collection) {
        var bounds = [];
        var markers = [];
        collection.features.forEach(function (f) {
          var p = f.properties;
          var latlng = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
          var icon = L.divIcon({
            className: 'incident-pin status-' + p.status + (p.overdue ? ' overdue' : ''),
            html: '', iconSize: [18, 18]
          });
          var marker = L.marker(latlng, { icon: icon, title: p.code, keyboard: true, status: p.status,
            overdue: !!p.overdue });
          var popup = document.createElement('div');
          popup.className = 'map-popup';
          var link = text('a', 'map-open', p.code);
          link.href = p.url;
          popup.appendChild(link);
          popup.appendChild(text('p', 'map-category', p.category || ''));
          popup.appendChild(text('p', 'map-description', p.description || ''));
          marker.bindPopup(popup);
          marker.on('add', function () {
            var pin = marker.getElement();
            if (pin) {
              pin.setAttribute('data-code', p.code);
            }
          });
          markers.push(marker);
          bounds.push(latlng);
        });
        document.getElementById('map-count').textContent = String(collection.features.length);
        // The view first, then the pins: the clusterer gathers them for the zoom they are shown at.
        if (bounds.length) {
          map.invalidateSize();
          map.fitBounds(L.latLngBounds(bounds), { padding: [30, 30], maxZoom: 17, animate: false });
        }
        if (pins.addLayers) {
          pins.addLayers(markers);
        } else {
          markers.forEach(function (m) { pins.addLayer(m); });
        }
        el.setAttribute('data-loaded', String(collection.features.length));
      });
  });
})();
