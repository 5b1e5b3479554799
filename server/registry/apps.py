from django.apps import AppConfig
from django.conf import settings


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "基础名录"

    def ready(self) -> None:
        from collect.signals import submission_accepted
        from registry.receivers import registry_follow

        if settings.REGISTRY_FOLLOW == "request":
            submission_accepted.connect(registry_follow, dispatch_uid="registry_follow")
