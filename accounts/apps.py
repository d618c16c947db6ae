from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import audit, middleware

        # dispatch_uid: connect once, however often ready() runs.
        user_logged_in.connect(middleware.mark_seen, dispatch_uid="idle_timeout.mark_seen")
        user_logged_in.connect(audit.logged_in, dispatch_uid="audit.logged_in")
        user_login_failed.connect(audit.login_failed, dispatch_uid="audit.login_failed")
        user_locked_out.connect(audit.locked_out, dispatch_uid="audit.locked_out")
