/*
 * Heritage admin maps (django-leaflet, no CDN, no basemap needed).
 *
 * - On every map widget of a change form, draw the other sites and routes
 *   as a non-interactive overlay, so staff can place things without a
 *   basemap. The GeoJSON comes from an admin view (built in PostGIS).
 * - On change lists, show the features of the current filter/search.
 *
 * Names are put in the page with textContent, never innerHTML: a site name
 * holding HTML is shown as text.
 */
(function () {
  "use strict";

  var STATUS_COLOURS = {
    draft: "#7a7a7a",
    review: "#c77c02",
    published: "#1f6fa8",
    archived: "#b5b5b5"
  };

  function readJSON(id) {
    var element = document.getElementById(id);
    return element ? JSON.parse(element.textContent) : null;
  }

  function label(feature) {
    var props = feature.properties || {};
    var name = props.name || {};
    return name.tr || name.en || name.de || props.slug || "";
  }

  function style(feature) {
    var colour = STATUS_COLOURS[(feature.properties || {}).status] || "#444";
    return { color: colour, weight: 3, opacity: 0.85, fillOpacity: 0.15 };
  }

  function overlay(data, interactive, onClick) {
    return L.geoJSON(data, {
      interactive: interactive,
      style: style,
      pointToLayer: function (feature, latlng) {
        var s = style(feature);
        return L.circleMarker(latlng, {
          radius: 6, color: "#fff", weight: 1.5, fillColor: s.color, fillOpacity: 0.9,
          interactive: interactive
        });
      },
      onEachFeature: function (feature, layer) {
        if (!interactive) { return; }
        var tip = document.createElement("span");
        tip.textContent = label(feature) + " (" + (feature.properties || {}).status + ")";
        layer.bindTooltip(tip);
        if (onClick) { layer.on("click", function () { onClick(feature); }); }
      }
    });
  }

  // Change forms: every geometry widget gets the context overlay.
  window.addEventListener("map:init", function (event) {
    var config = readJSON("heritage-map-config");
    if (!config || !config.layersUrl) { return; }
    var map = event.detail.map;
    fetch(config.layersUrl, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        var layer = overlay(data, false).addTo(map);
        layer.bringToBack && layer.bringToBack();
        map.getContainer().setAttribute("data-heritage-overlay", String(data.features.length));
      });
  });

  // View-only pages: each geometry on a small map, with the context overlay.
  document.addEventListener("DOMContentLoaded", function () {
    var config = readJSON("heritage-map-config") || {};
    var boxes = document.querySelectorAll(".heritage-readonly-map");
    Array.prototype.forEach.call(boxes, function (box) {
      var map = L.map(box, { scrollWheelZoom: false });
      var shape = L.geoJSON(JSON.parse(box.getAttribute("data-geometry")), {
        style: { color: "#d1202f", weight: 4 }
      }).addTo(map);
      map.fitBounds(shape.getBounds(), { maxZoom: 16, padding: [20, 20] });
      if (config.layersUrl) {
        fetch(config.layersUrl, { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : null; })
          .then(function (data) {
            if (!data) { return; }
            overlay(data, true).addTo(map);
            shape.bringToFront();
            box.setAttribute("data-heritage-overlay", String(data.features.length));
          });
      }
    });
  });

  // Change lists: the map of the current filter (a callback of leaflet_map).
  window.heritageChangelistMap = function (map) {
    var data = readJSON("heritage-changelist-features");
    var config = readJSON("heritage-changelist-config") || {};
    if (!data) { return; }
    var layer = overlay(data, true, function (feature) {
      if (config.changeUrl) {
        window.location.href = config.changeUrl.replace("__id__", String(feature.id));
      }
    }).addTo(map);
    if (data.features.length) {
      map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 16 });
    }
    map.getContainer().setAttribute("data-heritage-overlay", String(data.features.length));
  };
})();
