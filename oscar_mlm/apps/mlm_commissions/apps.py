from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarConfig


class MlmCommissionsConfig(OscarConfig):
    label = "mlm_commissions"
    name = "oscar_mlm.apps.mlm_commissions"
    namespace = "mlm_commissions"
    verbose_name = _("Volumes and commissions")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import receivers  # noqa: F401  (order signals -> volume records)

    def get_urls(self):
        return self.post_process_urls([])
