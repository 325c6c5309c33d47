from django.contrib.auth.decorators import login_required
from django.urls import path
from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarConfig

from oscar_mlm.core.loading import get_class
from oscar_mlm.navigation import BUSINESS, AccountTab, distributors_only


class MlmStorefrontConfig(OscarConfig):
    label = "mlm_storefront"
    name = "oscar_mlm.apps.mlm_storefront"
    namespace = "mlm_storefront"
    verbose_name = _("Storefronts")
    default_auto_field = "django.db.models.BigAutoField"
    # What this app holds about a person (oscar_mlm.personal_data).
    personal_data_erasers = [
        "oscar_mlm.apps.mlm_storefront.personal_data.erase_storefront",
    ]
    personal_data_exporters = [
        "oscar_mlm.apps.mlm_storefront.personal_data.export_storefront",
    ]
    account_navigation = [
        AccountTab(
            "storefront",
            _("My storefront"),
            "mlm_storefront:mlm-storefront-edit",
            section=BUSINESS,
            order=20,
            access_fn=distributors_only,
        ),
    ]
    # Sign-up on a storefront, then with the attribution cookie (mlm_network.signup).
    signup_resolvers = [
        "oscar_mlm.apps.mlm_storefront.signup.storefront_signup",
        "oscar_mlm.apps.mlm_storefront.signup.attribution_signup",
    ]

    # pylint: disable=attribute-defined-outside-init
    def ready(self):
        from . import checks, receivers  # noqa: F401  (settings checks; lookup cache fresh)

        self.opportunity_view = get_class("mlm_storefront.views", "OpportunityView")
        self.edit_view = get_class("mlm_storefront.views", "StorefrontEditView")
        self.welcome_view = get_class("mlm_storefront.views", "WelcomeView")
        self.find_view = get_class("mlm_storefront.views", "FindConsultantView")

    def get_urls(self):
        urls = [
            path("join/", self.opportunity_view.as_view(), name="mlm-storefront-join"),
            path("consultants/", self.find_view.as_view(), name="mlm-storefront-find"),
            path(
                "accounts/storefront/",
                login_required(self.edit_view.as_view()),
                name="mlm-storefront-edit",
            ),
            path(
                "accounts/storefront/welcome/",
                login_required(self.welcome_view.as_view()),
                name="mlm-storefront-welcome",
            ),
        ]
        return self.post_process_urls(urls)
