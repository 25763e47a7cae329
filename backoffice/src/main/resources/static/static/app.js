// civicbot back-office: the few behaviours the pages need. No inline scripts (the CSP forbids them).
(function () {
  'use strict';

  function meta(name) {
    var el = document.querySelector('meta[name="' + name + '"]');
    return el ? el.getAttribute('content') : null;
  }

  // htmx requests carry the CSRF token as a header, as forms carry it as a field.
  document.addEventListener('htmx:configRequest', function (event) {
    var token = meta('_csrf');
    if (token) {
      event.detail.headers[meta('_csrf_header') || 'X-CSRF-TOKEN'] = token;
    }
  });

  var DEFAULT_TILES = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';
  var DEFAULT_ATTRIBUTION = '&copy; OpenStreetMap contributors';

  function initMaps(root) {
    if (typeof L === 'undefined') {
      return;
    }
    var tiles = document.body.getAttribute('data-tile-url') || DEFAULT_TILES;
    var attribution = document.body.getAttribute('data-tile-attribution') || DEFAULT_ATTRIBUTION;
    var maps = root.querySelectorAll('.location-map, #incident-map');
    Array.prototype.forEach.call(maps, function (el) {
      if (el.getAttribute('data-map-ready')) {
        return;
      }
      var lat = parseFloat(el.getAttribute('data-lat'));
      var lng = parseFloat(el.getAttribute('data-lng'));
      if (isNaN(lat) || isNaN(lng)) {
        return;
      }
      el.setAttribute('data-map-ready', 'true');
      var map = L.map(el, { scrollWheelZoom: false }).setView([lat, lng], el.id === 'incident-map' ? 17 : 16);
      L.tileLayer(tiles, { maxZoom: 19, attribution: attribution }).addTo(map);
      L.marker([lat, lng], { keyboard: false }).addTo(map);
    });
  }

  // A map to place a pin on (a request staff enter, a correction): click or drag it; the hidden fields take its
  // coordinates and the address field the address the geocoder finds there.
  function initPickers(root) {
    if (typeof L === 'undefined') {
      return;
    }
    var tiles = document.body.getAttribute('data-tile-url') || DEFAULT_TILES;
    var attribution = document.body.getAttribute('data-tile-attribution') || DEFAULT_ATTRIBUTION;
    Array.prototype.forEach.call(root.querySelectorAll('.picker-map'), function (el) {
      if (el.getAttribute('data-map-ready')) {
        return;
      }
      el.setAttribute('data-map-ready', 'true');
      var lat = parseFloat(el.getAttribute('data-lat'));
      var lng = parseFloat(el.getAttribute('data-lng'));
      var placed = !isNaN(lat) && !isNaN(lng);
      var center = placed ? [lat, lng]
        : [parseFloat(el.getAttribute('data-center-lat')), parseFloat(el.getAttribute('data-center-lng'))];
      var map = L.map(el, { scrollWheelZoom: false }).setView(center, placed ? 17 : 14);
      L.tileLayer(tiles, { maxZoom: 19, attribution: attribution }).addTo(map);
      var latField = document.getElementById(el.getAttribute('data-latitude'));
      var lngField = document.getElementById(el.getAttribute('data-longitude'));
      var addressField = document.getElementById(el.getAttribute('data-address'));
      var marker = null;
      function place(latlng) {
        latField.value = latlng.lat.toFixed(6);
        lngField.value = latlng.lng.toFixed(6);
        el.setAttribute('data-placed', latField.value + ',' + lngField.value);
        fetch('/api/v1/geocode/reverse?latitude=' + latField.value + '&longitude=' + lngField.value,
          { headers: { 'Accept': 'application/json' }, credentials: 'same-origin' })
          .then(function (r) { return r.ok ? r.json() : null; })
          .then(function (found) {
            if (found && found.address && addressField) {
              addressField.value = found.address;
            }
          })
          .catch(function () { /* the address stays as typed */ });
      }
      function pin(latlng) {
        if (marker) {
          marker.setLatLng(latlng);
        } else {
          marker = L.marker(latlng, { draggable: true, keyboard: true }).addTo(map);
          marker.on('dragend', function () { place(marker.getLatLng()); });
        }
      }
      if (placed) {
        pin(L.latLng(lat, lng));
      }
      map.on('click', function (event) {
        pin(event.latlng);
        place(event.latlng);
      });
    });
  }

  // A ready answer fills its text box, in the citizen's language; a closing one also picks its step and outcome.
  document.addEventListener('change', function (event) {
    var select = event.target;
    if (!select.matches || !select.matches('select[data-fills]')) {
      return;
    }
    var option = select.options[select.selectedIndex];
    var text = option && option.getAttribute('data-text');
    if (!text) {
      return;
    }
    document.getElementById(select.getAttribute('data-fills')).value = text;
    [['data-status-field', 'data-status'], ['data-outcome-field', 'data-outcome']].forEach(function (pair) {
      var field = document.getElementById(select.getAttribute(pair[0]) || '');
      var value = option.getAttribute(pair[1]);
      if (field && value && field.querySelector('option[value="' + value + '"]')) {
        field.value = value;
      }
    });
  });

  function scrollTimeline() {
    var timeline = document.getElementById('timeline');
    if (timeline) {
      timeline.scrollTop = timeline.scrollHeight;
    }
  }

  // A form sends once: its submit button is disabled after the first click (the server is idempotent too).
  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (form.method && form.method.toLowerCase() === 'post') {
      window.setTimeout(function () {
        Array.prototype.forEach.call(form.querySelectorAll('button[type="submit"]'), function (b) {
          b.disabled = true;
        });
      }, 0);
    }
  });

  // A fragment asked for after the session ended comes back as the login page: go there instead.
  document.addEventListener('htmx:beforeSwap', function (event) {
    var url = event.detail.xhr && event.detail.xhr.responseURL;
    if (url && new URL(url).pathname === '/login') {
      event.detail.shouldSwap = false;
      window.location.href = '/login';
    }
  });

  // The conversation's owner or status changed under this page: its actions may no longer fit.
  var initialState = null;
  function checkState() {
    var meta = document.getElementById('conversation-meta');
    var notice = document.getElementById('state-changed');
    if (!meta || !notice) {
      return;
    }
    if (initialState === null) {
      initialState = meta.getAttribute('data-state');
    } else if (meta.getAttribute('data-state') !== initialState) {
      notice.hidden = false;
    }
  }

  document.addEventListener('htmx:afterSettle', function (event) {
    checkState();
    initMaps(event.target);
    if (event.target && event.target.id === 'timeline') {
      scrollTimeline();
    }
  });

  document.addEventListener('DOMContentLoaded', function () {
    checkState();
    initMaps(document);
    initPickers(document);
    scrollTimeline();
    var reply = document.getElementById('reply-text');
    if (reply && window.location.hash !== '#main') {
      reply.focus({ preventScroll: true });
    }
  });
})();
