"""Routes and stops in the change feed (editorial.change_log): a route is
logged when it is or was published; every write to a stop is logged (by id:
whether it is public depends on two other rows, judged when the feed is
read); when a route or a site is published or withdrawn, each of its stops
is logged too, and a published route whenever one of its stops changes."""

from django.db import migrations

from editorial.change_log import (
    PUBLISHED,
    drop_trigger_sql,
    log_cascade_trigger_sql,
    log_parent_trigger_sql,
    log_rows_trigger_sql,
)

FORWARD = [
    log_rows_trigger_sql("routes_route", "route", key="{row}.slug", when="{row}.status = " + PUBLISHED),
    log_rows_trigger_sql("routes_routestop", "stop", key="{row}.id::text"),
    log_cascade_trigger_sql(
        "routes_route", "stops", "stop", keys="SELECT id::text FROM routes_routestop WHERE route_id = NEW.id"
    ),
    log_cascade_trigger_sql(
        "sites_site", "stops", "stop", keys="SELECT id::text FROM routes_routestop WHERE site_id = NEW.id"
    ),
    # A published route shows its stops (count, order, durations): a stop's
    # change is the route's too, so a client holding the route hears of it.
    log_parent_trigger_sql(
        "routes_routestop",
        "route",
        "route",
        keys="SELECT slug FROM routes_route WHERE id = {row}.route_id AND status = " + PUBLISHED,
    ),
]
BACKWARD = [
    drop_trigger_sql("routes_routestop", "routes_routestop_route_change_log"),
    drop_trigger_sql("sites_site", "sites_site_stops_change_log"),
    drop_trigger_sql("routes_route", "routes_route_stops_change_log"),
    drop_trigger_sql("routes_routestop", "routes_routestop_change_log"),
    drop_trigger_sql("routes_route", "routes_route_change_log"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("routes", "0007_stop_audio"),
        ("sites", "0009_change_log"),
        ("editorial", "0002_change_log"),
    ]

    operations = [migrations.RunSQL(FORWARD, reverse_sql=BACKWARD)]
