"""Domain errors of the sponsor network.

Each carries a translated, user-facing ``message``; forms, API views and
commands show it as it is.
"""

from django.utils.translation import gettext_lazy as _

from oscar_mlm.exceptions import MlmError


class NetworkError(MlmError):
    default_message = _("The network could not be changed.")


class SponsorRequired(NetworkError):
    default_message = _("A sponsor is required: every person joins through a sponsor.")


class SponsorNotFound(NetworkError):
    default_message = _("No sponsor with this id exists. Please check the sponsor id.")


class InactiveSponsor(NetworkError):
    default_message = _("This sponsor is not active and cannot take on new members.")


class InvalidSponsor(NetworkError):
    default_message = _("Only the company or an active distributor can be a sponsor.")


class CycleError(NetworkError):
    default_message = _(
        "This move would put the member below their own downline and create a cycle."
    )


class SelfSponsor(CycleError):
    default_message = _("A member cannot be their own sponsor.")


class SameSponsor(NetworkError):
    default_message = _("The member already has this sponsor.")


class InvalidHandle(NetworkError):
    default_message = _("This storefront handle is not allowed.")


class HandleTaken(InvalidHandle):
    default_message = _("This storefront handle is already taken.")


class SameHandle(InvalidHandle):
    default_message = _("This is already the storefront name.")


class AlreadyMember(NetworkError):
    default_message = _("This user is already a member of the network.")


class EmailTaken(NetworkError):
    default_message = _("A user with that email address already exists")


class InvalidStatus(NetworkError):
    default_message = _("The member is not in a state that allows this.")


class CompanyMissing(NetworkError):
    default_message = _(
        "The network is not set up yet: it has no company root. An administrator creates it "
        "with the command mlm_init."
    )


class ErasureRefused(NetworkError):
    default_message = _("This person's data cannot be erased.")


class AlreadyErased(ErasureRefused):
    default_message = _("This person's data has already been erased.")


class CompanyNotErasable(ErasureRefused):
    default_message = _("The company at the root of the network cannot be erased.")


class SelfErasure(ErasureRefused):
    default_message = _("Staff cannot erase their own data; another staff member must do it.")


class ErasureReasonRequired(ErasureRefused):
    default_message = _(
        "Give the reason (e.g. the date and channel of the request) in at most 500 characters."
    )
