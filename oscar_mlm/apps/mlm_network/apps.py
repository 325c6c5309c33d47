from django.contrib.auth.decorators import login_required
from django.urls import path
from django.utils.translation import gettext_lazy as _
from oscar.core.application import OscarConfig

from oscar_mlm.core.loading import get_class
from oscar_mlm.navigation import (
    BUSINESS,
    AccountSection,
    AccountTab,
    distributors_only,
    not_distributors,
)


class MlmNetworkConfig(OscarConfig):
    label = "mlm_network"
    name = "oscar_mlm.apps.mlm_network"
    verbose_name = _("Network")
    namespace = "mlm_network"
    default_auto_field = "django.db.models.BigAutoField"
    # What this app holds about a person (oscar_mlm.personal_data).
    personal_data_erasers = [
        "oscar_mlm.apps.mlm_network.personal_data.erase_network",
        "oscar_mlm.apps.mlm_network.personal_data.erase_oscar",
    ]
    personal_data_exporters = [
        "oscar_mlm.apps.mlm_network.personal_data.export_network",
        "oscar_mlm.apps.mlm_network.personal_data.export_oscar",
    ]
    # The account menu (oscar_mlm.navigation): the "My business" section the feature apps'
    # back-office pages go into, and "My network" for every logged-in user: in "My
    # business" for distributors, among the account's own tabs for everyone else.
    account_navigation = [
        AccountSection(BUSINESS, _("My business"), order=100, access_fn=distributors_only),
        AccountTab(
            "network",
            _("My network"),
            "mlm_network:mlm-network-overview",
            order=10,
            access_fn=not_distributors,
        ),
        AccountTab(
            "network",
            _("My network"),
            "mlm_network:mlm-network-overview",
            section=BUSINESS,
            order=10,
            access_fn=distributors_only,
        ),
        AccountTab("privacy", _("My data"), "mlm_network:mlm-privacy", order=90),
    ]

    # pylint: disable=attribute-defined-outside-init
    def ready(self):
        from . import checks  # noqa: F401  (registers the settings checks)

        self.register_view = get_class("mlm_network.views", "SignupView")
        self.login_view = get_class("mlm_network.views", "LoginSignupView")
        self.overview_view = get_class("mlm_network.views", "NetworkOverviewView")
        self.internal_signup_view = get_class("mlm_network.views", "InternalSignupView")
        self.privacy_view = get_class("mlm_network.views", "PrivacyView")
        self.download_view = get_class("mlm_network.views", "DataDownloadView")

    def get_urls(self):
        # Mounted at the site root ahead of Oscar's URLs, so our sign-up views
        # answer Oscar's own "customer:register" and "customer:login" paths.
        urls = [
            path("accounts/register/", self.register_view.as_view(), name="mlm-signup"),
            path("accounts/login/", self.login_view.as_view(), name="mlm-login"),
            path(
                "accounts/network/",
                login_required(self.overview_view.as_view()),
                name="mlm-network-overview",
            ),
            path(
                "accounts/network/add/",
                login_required(self.internal_signup_view.as_view()),
                name="mlm-network-signup",
            ),
            path(
                "accounts/privacy/", login_required(self.privacy_view.as_view()), name="mlm-privacy"
            ),
            path(
                "accounts/privacy/my-data.zip",
                login_required(self.download_view.as_view()),
                name="mlm-privacy-download",
            ),
        ]
        return self.post_process_urls(urls)
