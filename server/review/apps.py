from django.apps import AppConfig


class ReviewConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "review"
    verbose_name = "审核"

    def ready(self) -> None:
        from review import signals  # noqa: F401  (connects the receipt hook)
