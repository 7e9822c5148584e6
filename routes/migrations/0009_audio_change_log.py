"""Stop audio in the change feed (editorial.change_log): every write to a
published recording is logged by id (whether it is public also depends on
its stop, route and site, judged when the feed is read), and a published
route hears of it too, since its detail lists its stops' audio."""

from django.db import migrations

from editorial.change_log import PUBLISHED, drop_trigger_sql, log_parent_trigger_sql, log_rows_trigger_sql

FORWARD = [
    log_rows_trigger_sql("routes_stopaudio", "audio", key="{row}.id::text", when="{row}.status = " + PUBLISHED),
    log_parent_trigger_sql(
        "routes_stopaudio",
        "route",
        "route",
        keys="SELECT r.slug FROM routes_routestop st JOIN routes_route r ON r.id = st.route_id"
        " WHERE st.id = {row}.stop_id AND r.status = " + PUBLISHED,
    ),
]
BACKWARD = [
    drop_trigger_sql("routes_stopaudio", "routes_stopaudio_route_change_log"),
    drop_trigger_sql("routes_stopaudio", "routes_stopaudio_change_log"),
]


class Migration(migrations.Migration):
    dependencies = [("routes", "0008_change_log")]

    operations = [migrations.RunSQL(FORWARD, reverse_sql=BACKWARD)]
