"""Defaults of every ``OSCAR_MLM_*`` setting.

Read them through :func:`oscar_mlm.conf.get_setting` at the moment they are
used, never at import, so ``override_settings`` and per-shop settings work.
"""

# Who may sign up on the company site (the main host, no storefront):
# "none": nobody; the page explains where to sign up.
# "sponsor_id": only with the id (handle or member number) of an active sponsor.
OSCAR_MLM_COMPANY_SIGNUP = "none"

# Dotted paths of callables ``(request) -> SignupContext | None`` asked in order
# for the sponsor of a new sign-up; the first answer wins. The storefront app
# plugs in here. Without an answer the company-site policy applies.
OSCAR_MLM_SIGNUP_RESOLVERS = []

# Storefront handles: DNS labels, lower case, this many characters at least.
OSCAR_MLM_HANDLE_MIN_LENGTH = 3
OSCAR_MLM_HANDLE_MAX_LENGTH = 63

# Handles nobody may take: they are (or may become) hosts of the company.
OSCAR_MLM_RESERVED_HANDLES = (
    "www",
    "api",
    "admin",
    "mail",
    "smtp",
    "imap",
    "pop",
    "ftp",
    "static",
    "media",
    "assets",
    "cdn",
    "dashboard",
    "shop",
    "store",
    "help",
    "support",
    "status",
    "blog",
    "docs",
    "app",
    "auth",
    "login",
    "accounts",
    "account",
    "company",
    "root",
    "localhost",
    "test",
    "dev",
    "staging",
)

# What happens to the first line of a deactivated distributor:
# "roll_up": each member moves to the deactivated member's sponsor (compression),
#            one audited sponsor change per moved member;
# "keep": they stay where they are.
OSCAR_MLM_DEACTIVATION_DISTRIBUTORS = "roll_up"
OSCAR_MLM_DEACTIVATION_CUSTOMERS = "roll_up"

# Internal sign-up: which kinds of person a distributor may enter from the
# account area (empty: the feature is off).
OSCAR_MLM_INTERNAL_SIGNUP_KINDS = ("customer", "distributor")

# Name shown for the root of the tree.
OSCAR_MLM_COMPANY_NAME = "The company"

# Rows per page in the account area and the dashboard.
OSCAR_MLM_MEMBERS_PER_PAGE = 50
