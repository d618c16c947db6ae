from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CustomersConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "customers"

    def ready(self):
        from . import receivers  # noqa: F401  (connects the history receivers)

        post_migrate.connect(recount_on_sqlite, sender=self)


def recount_on_sqlite(sender, using, **kwargs):
    """Derive the kept customer counts from the table again after `migrate` or `flush` on
    SQLite. Flush empties tables one by one in no fixed order: when the counts are emptied
    first, the customer table's delete trigger writes deltas into the empty count table. (On
    PostgreSQL flush truncates, which fires no delete trigger.) SQLite has one writer at a
    time, so nothing written meanwhile is lost."""
    from django.db import connections

    from .models import CustomerCount

    if connections[using].vendor == "sqlite":
        CustomerCount.objects.db_manager(using).recount()
