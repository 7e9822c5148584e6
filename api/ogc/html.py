"""Plain HTML for the OGC API's f=html (conformance class "html"): a
heading, the links, and the content as tables. Every value is escaped."""

import json

from django.templatetags.static import static
from django.utils.html import escape, format_html, format_html_join, json_script

from api.i18n import DEFAULT_LANGUAGE
from editorial.translations import pick


def _document(title: str, body: str, *, head: str = "") -> str:
    # The style sheet is a static file: the CSP allows no inline <style>.
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<title>{escape(title)}</title><link rel="stylesheet" href="{escape(static("heritage/ogc.css"))}">'
        f"{head}</head><body><h1>{escape(title)}</h1>{body}</body></html>"
    )


MAP_HEAD = '<link rel="stylesheet" href="{}"><script type="module" src="{}"></script>'


def _map(features: list[dict]) -> tuple[str, str]:
    """A MapLibre map of `features` (the guide's vendored copy, served by us):
    the features travel as a JSON data block, which the strict CSP allows
    (it is never executed); static/heritage/ogc-map.js draws them."""
    head = format_html(
        MAP_HEAD, static("guide/vendor/maplibre-gl/maplibre-gl.css"), static("heritage/ogc-map.js")
    )
    data = json_script({"type": "FeatureCollection", "features": features}, "ogc-features")
    body = format_html(
        '<div id="ogc-map" class="ogc-map" data-maplibre="{}" role="img" aria-label="Map of the features">'
        "</div>{}",
        static("guide/vendor/maplibre-gl/maplibre-gl.mjs"),
        data,
    )
    return head, body


def _links(links: list[dict]) -> str:
    rows = format_html_join(
        "",
        '<li><a href="{}">{}</a> ({})</li>',
        (
            (
                link["href"],
                link.get("title") or link["href"],
                ", ".join(part for part in (link.get("rel"), link.get("type")) if part),
            )
            for link in links
        ),
    )
    return f"<h2>Links</h2><ul>{rows}</ul>"


def _value(value) -> str:
    if isinstance(value, (dict, list)):
        return format_html("<code>{}</code>", json.dumps(value, ensure_ascii=False))
    return escape("" if value is None else str(value))


def page(title: str, data: dict) -> str:
    """Any JSON document as a page: its links, then its other members."""
    rows = "".join(
        format_html("<tr><th>{}</th><td>{}</td></tr>", key, _value(value))
        if not isinstance(value, (dict, list))
        else f"<tr><th>{escape(key)}</th><td>{_value(value)}</td></tr>"
        for key, value in data.items()
        if key != "links"
    )
    return _document(title, _links(data.get("links", [])) + f"<table>{rows}</table>")


def collection_page(title: str, data: dict, *, features_url: str) -> str:
    """A collection's page: a map of its first features (fetched by the
    page's script from `features_url`, same origin), then the description."""
    head = format_html(
        MAP_HEAD, static("guide/vendor/maplibre-gl/maplibre-gl.css"), static("heritage/ogc-map.js")
    )
    map_div = format_html(
        '<div id="ogc-map" class="ogc-map" data-maplibre="{}" data-source="{}" role="img"'
        ' aria-label="Map of the features"></div>',
        static("guide/vendor/maplibre-gl/maplibre-gl.mjs"),
        features_url,
    )
    return page(title, data).replace("<h2>Links</h2>", map_div + "<h2>Links</h2>", 1).replace(
        "</head>", head + "</head>", 1
    )


def items_page(title: str, envelope: dict, features: list[dict], *, lon_lat: bool = True) -> str:
    collection_url = next(link["href"] for link in envelope["links"] if link["rel"] == "collection")
    head = format_html(
        "<p>{} of {} features. Attribution: {}.</p>",
        envelope["numberReturned"],
        envelope["numberMatched"],
        envelope["attribution"],
    )
    rows = "".join(
        format_html(
            '<tr><td><a href="{}/items/{}?f=html">{}</a></td><td>{}</td><td><code>{}</code></td></tr>',
            collection_url,
            feature.get("id"),
            feature.get("id"),
            _name(feature.get("properties", {})),
            json.dumps(feature.get("geometry"), ensure_ascii=False)[:120],
        )
        for feature in features
    )
    table = f"<table><tr><th>id</th><th>name</th><th>geometry</th></tr>{rows}</table>"
    map_head, map_body = _map(features) if lon_lat else ("", "")
    return _document(title, head + map_body + _links(envelope["links"]) + table, head=map_head)


def feature_page(title: str, feature: dict, links: list[dict], *, lon_lat: bool = True) -> str:
    properties = feature.get("properties", {})
    rows = "".join(
        f"<tr><th>{escape(key)}</th><td>{_value(value)}</td></tr>" for key, value in properties.items()
    )
    geometry = format_html("<p>Geometry: <code>{}</code></p>", json.dumps(feature.get("geometry")))
    map_head, map_body = _map([feature]) if lon_lat and feature.get("geometry") else ("", "")
    body = map_body + _links(links) + geometry + f"<table>{rows}</table>"
    return _document(f"{title}: {feature.get('id')}", body, head=map_head)


def _name(properties: dict) -> str:
    name = properties.get("name")
    if isinstance(name, dict):
        return pick(name, DEFAULT_LANGUAGE)
    return str(name or properties.get("slug") or "")
