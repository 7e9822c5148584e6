from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_save


def _site_saved(sender, instance, raw=False, **_kwargs) -> None:
    if not raw:  # loaddata: the rows are not whole yet
        from sites.kept_features import keep_after_commit

        keep_after_commit(instance.pk)


def _periods_changed(sender, instance, action, pk_set=None, reverse=False, **_kwargs) -> None:
    if not action.startswith("post_"):
        return
    from sites.kept_features import keep_after_commit

    # reverse: `instance` is a period and pk_set the sites (None when a
    # period's sites were cleared: then every missing text is rebuilt).
    site_ids = [instance.pk] if not reverse else (pk_set if pk_set is not None else [None])
    for site_id in site_ids:
        keep_after_commit(site_id)


class SitesConfig(AppConfig):
    name = "sites"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Every ORM write of a site (services, the workflow, the admin,
        # imports) rebuilds its kept OGC feature after commit; the triggers
        # of migration 0010 have deleted the stale one already.
        from sites.models import Site

        post_save.connect(_site_saved, sender=Site, dispatch_uid="sites-kept-feature")
        m2m_changed.connect(_periods_changed, sender=Site.periods.through, dispatch_uid="sites-kept-periods")
