from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "qlf.dashboard"
    label = "dashboard"
    verbose_name = "QLF dashboard"
    default_auto_field = "django.db.models.BigAutoField"
