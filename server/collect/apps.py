from django.apps import AppConfig


class CollectConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "collect"
    verbose_name = "数据采集 (ODK)"
