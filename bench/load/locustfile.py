"""The traffic mix of `make load` (locust): what phones, map clients and a
researcher ask the API for, weighted roughly as they would.

Closed loop, no think time: each simulated client sends its next request as
soon as the last one answered, so "concurrency N" means N requests in
flight. Request names group the statistics per endpoint (the random parts
of the URLs are not separate rows)."""

import json
import math
import random
import urllib.request

from locust import FastHttpUser, events, task

# Konak and the historic centre: where tourists are.
CENTRE_LON, CENTRE_LAT = 27.1287, 38.4189
ROUTES: list[dict] = []


@events.test_start.add_listener
def read_routes(environment, **kwargs):
    """The published routes (slug and bbox), read once before the run."""
    with urllib.request.urlopen(environment.host + "/api/v1/routes", timeout=10) as response:
        features = json.load(response)["features"]
    ROUTES[:] = [{"slug": f["properties"]["slug"], "bbox": f["properties"]["bbox"]} for f in features]


def near_centre(spread_deg: float = 0.02) -> tuple[float, float]:
    return (
        round(CENTRE_LON + random.uniform(-spread_deg, spread_deg), 6),
        round(CENTRE_LAT + random.uniform(-spread_deg, spread_deg), 6),
    )


def tile_at(lon: float, lat: float, zoom: int) -> tuple[int, int, int]:
    n = 2**zoom
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return zoom, x, y


class Visitor(FastHttpUser):
    @task(15)
    def route_list(self):
        self.client.get("/api/v1/routes", name="routes")

    @task(10)
    def route_detail(self):
        route = random.choice(ROUTES)
        self.client.get(f"/api/v1/routes/{route['slug']}", name="route detail")

    @task(25)
    def nearby(self):
        lon, lat = near_centre()
        self.client.get(f"/api/v1/sites/nearby?lat={lat}&lon={lon}&radius=1000&limit=20", name="nearby")

    @task(25)
    def progress(self):
        route = random.choice(ROUTES)
        west, south, east, north = route["bbox"]
        lon, lat = round(random.uniform(west, east), 6), round(random.uniform(south, north), 6)
        self.client.get(
            f"/api/v1/routes/{route['slug']}/progress?lat={lat}&lon={lon}&accuracy=15", name="progress"
        )

    @task(15)
    def bbox_page(self):
        lon, lat = near_centre(0.03)
        bbox = f"{lon - 0.01},{lat - 0.01},{lon + 0.01},{lat + 0.01}"
        self.client.get(f"/api/v1/sites?bbox={bbox}&limit=50", name="sites bbox page")

    @task(20)
    def tile(self):
        z, x, y = tile_at(*near_centre(0.04), random.randint(12, 16))
        self.client.get(f"/api/v1/tiles/{z}/{x}/{y}.mvt", name="tile")

    @task(5)
    def ogc_page(self):
        self.client.get("/ogc/collections/sites/items?limit=100", name="ogc items page")

    # A researcher's download among many phones: 1 request in 116.
    @task(1)
    def export(self):
        self.client.get("/api/v1/export/sites?format=gpkg", name="export gpkg")
