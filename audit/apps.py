from django.apps import AppConfig, apps
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit")

    def ready(self):
        from audit.tracking import Audited, record_save

        for model in apps.get_models():
            if issubclass(model, Audited):
                post_save.connect(record_save, sender=model, dispatch_uid=model._meta.label)
