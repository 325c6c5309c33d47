"""Defaults of every ``OSCAR_MLM_*`` setting.

Read them through :func:`oscar_mlm.conf.get_setting` at the moment they are
used, never at import, so ``override_settings`` and per-shop settings work.
"""

# Who may sign up on the company site (the main host, no storefront):
# "none": nobody; the page explains where to sign up.
# "sponsor_id": only with the id (handle or member number) of an active sponsor.
OSCAR_MLM_COMPANY_SIGNUP = "none"

# What people sign up as on the company site under the "sponsor_id" policy: a tuple of
# "customer" and/or "distributor". With both, the form asks (customer preselected).
OSCAR_MLM_COMPANY_SIGNUP_KINDS = ("customer",)

# Whether distributors may sign themselves up:
# "self": on a storefront's partner link (and on the company site, per the two settings above);
# "internal": never by themselves; their sponsor enters them from the account area
#             (OSCAR_MLM_INTERNAL_SIGNUP_KINDS) or staff do. The partner link then shows the
#             opportunity without a partner sign-up, and every self sign-up makes a customer.
OSCAR_MLM_DISTRIBUTOR_SIGNUP = "self"

# The company site (the main host, no storefront):
# "shop": a full shop (guest orders there are attributed as docs/volumes.rst describes);
# "storefronts_only": no basket, checkout or sign-up there; a "find your consultant" page
#                     sends visitors to a storefront, and product pages invite them to it.
OSCAR_MLM_COMPANY_SITE = "shop"

# Dotted paths of callables ``(request) -> SignupContext | None`` asked in order
# for the sponsor of a new sign-up; the first answer wins. None: the resolvers
# the installed apps declare (the storefront app: storefront, then attribution
# cookie); a list replaces them. Without an answer the company-site policy applies.
OSCAR_MLM_SIGNUP_RESOLVERS = None

# Dotted paths of callables ``(email) -> SignupContext | None`` asked first when an
# account is created: a sponsor bound to the e-mail address earlier (a guest
# order with a partner's voucher) wins over every other source. None: the
# installed apps' own (the voucher app's); a list replaces them.
OSCAR_MLM_SIGNUP_EMAIL_RESOLVERS = None

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

# What happens to the first line of a deactivated member (per kind of member in it):
# "roll_up": roll-up, each moves to the nearest active member above the deactivated
#            one (normally their sponsor), one audited sponsor change per moved member;
# "keep": they stay where they are.
# (Not "compression": that is the commission plan's rule for unqualified distributors.)
OSCAR_MLM_DEACTIVATION_DISTRIBUTORS = "roll_up"
OSCAR_MLM_DEACTIVATION_CUSTOMERS = "roll_up"

# Internal sign-up: which kinds of person a distributor may enter from the
# account area (empty: the feature is off).
OSCAR_MLM_INTERNAL_SIGNUP_KINDS = ("customer", "distributor")

# Name shown for the root of the tree.
OSCAR_MLM_COMPANY_NAME = "The company"

# Rows per page in the account area and the dashboard.
OSCAR_MLM_MEMBERS_PER_PAGE = 50

# Whose contact data (e-mail, telephone, postal address) a distributor sees in their
# downline (mlm_network.privacy): "first_line" (their own first line, which holds their
# own customers), "customers" (own customers only) or "none". Everyone else in the
# downline shows name, level and figures only; members outside it answer 404.
OSCAR_MLM_NETWORK_CONTACT_DATA = "first_line"

# -- Partner back office ("My business") --------------------------------------------------

# Longest note a distributor writes about a customer, in characters.
OSCAR_MLM_CRM_NOTE_MAX_LENGTH = 5000

# The due list of follow-ups shows the overdue ones and those due within this many days.
OSCAR_MLM_CRM_DUE_DAYS = 7

# -- Storefronts (partner subdomains) ---------------------------------------------------------

# An unknown, inactive or hidden storefront answers "404" (a friendly not-found
# page) or "redirect" (to the same path on the company site).
OSCAR_MLM_UNKNOWN_STOREFRONT = "404"

# Seconds the storefront of a handle is cached (0: no cache). Saving the member,
# their user or storefront clears it; use a shared cache with several processes.
OSCAR_MLM_STOREFRONT_CACHE_SECONDS = 30

# The domains storefronts live under (<handle>.<domain>); None: PARENT_HOST only.
OSCAR_MLM_STOREFRONT_DOMAINS = None

# What someone who signs up through the partner link (/join/) becomes:
# "distributor" or "customer". The customer link always makes customers.
OSCAR_MLM_DISTRIBUTOR_LINK_SIGNUP_KIND = "distributor"

# Theme fields a storefront shows on the customer link; the partner link shows all.
OSCAR_MLM_CUSTOMER_LINK_THEME_FIELDS = ("display_name", "photo", "greeting", "accent_color")

# Attribution: a visitor of a storefront keeps its owner as sponsor for this
# many days (signed cookie), also on the company site. The first storefront
# visited wins until the cookie expires.
OSCAR_MLM_ATTRIBUTION_DAYS = 30
OSCAR_MLM_ATTRIBUTION_COOKIE = "mlm_ref"
# The parent domain (".shop.example") so storefronts and company site share it;
# None keeps it host-only. Set only on hosts below it (browsers refuse the rest).
OSCAR_MLM_ATTRIBUTION_COOKIE_DOMAIN = None

# After a handle is renamed, the old subdomain forwards for this many days.
OSCAR_MLM_HANDLE_REDIRECT_DAYS = 90

# Storefront photo limits.
OSCAR_MLM_STOREFRONT_PHOTO_MAX_BYTES = 2 * 1024 * 1024
OSCAR_MLM_STOREFRONT_PHOTO_MAX_PIXELS = 4000

# -- New-customer vouchers --------------------------------------------------------------------

# Code shape: characters without 0/O/1/I, grouped for reading. "handle" puts the
# issuer's handle in front (ANNA-7K3M-Q9XP); "" gives the bare code.
OSCAR_MLM_VOUCHER_CODE_LENGTH = 8
OSCAR_MLM_VOUCHER_CODE_PREFIX = "handle"

# A buyer who is already a distributor keeps their sponsor when redeeming a code.
OSCAR_MLM_VOUCHER_MOVES_DISTRIBUTORS = False

# How an issuer sees who used a code: "first_name" (privacy) or "full_name".
OSCAR_MLM_VOUCHER_SHOW_BUYER = "first_name"

# Failed code entries allowed per session and per IP address within the window.
OSCAR_MLM_VOUCHER_MAX_FAILED_ATTEMPTS = 10
OSCAR_MLM_VOUCHER_FAILED_WINDOW_SECONDS = 900

# -- Credit (loyalty credit account, F4) ------------------------------------------------------

# The shop's currencies besides OSCAR_DEFAULT_CURRENCY (which always is one), as ISO codes,
# e.g. ("CHF",). Staff adjust credit only in these.
OSCAR_MLM_CURRENCIES = ()

# Longest reason of a staff credit adjustment, in characters.
OSCAR_MLM_CREDIT_REASON_MAX_LENGTH = 500

# Apply the customer's available credit at checkout automatically (they can
# still keep it for later on the preview page). False: only when they ask.
OSCAR_MLM_CREDIT_AUTO_APPLY = True

# Earned credit stays pending until the order reaches this status (a name, or
# a tuple of names), e.g. after the return period.
OSCAR_MLM_CREDIT_AVAILABLE_STATUS = "Complete"

# Order statuses that cancel an order's credit: earned credit reversed, spent credit returned.
OSCAR_MLM_CREDIT_CANCELLED_STATUSES = ("Cancelled", "Refunded")

# Line statuses that refund a line's credit.
OSCAR_MLM_CREDIT_REFUNDED_LINE_STATUSES = ("Refunded", "Returned")

# Available credit expires this many months after it was booked (FIFO); None: never.
OSCAR_MLM_CREDIT_EXPIRY_MONTHS = None

# Customers see credit that expires within this many days.
OSCAR_MLM_CREDIT_EXPIRY_NOTICE_DAYS = 30

# Bookings per page of the ledger (account area and dashboard).
OSCAR_MLM_CREDIT_ENTRIES_PER_PAGE = 50

# The most credit one order may be paid with, as a share of the order total (incl. tax):
# e.g. "0.5" for half; None: no cap (credit may pay the whole order). Seed 003 asks to
# check with a tax adviser whether a rebate may be of any size. Enforced when the credit is
# spent (under the account lock) and shown at checkout.
OSCAR_MLM_CREDIT_MAX_SHARE = None

# Credit a distributor earns when a customer they sponsor places their first order, in the
# order's currency, e.g. "5.00"; None: no referral credit. Pending and released or reversed
# with that order, like all earned credit; once per customer.
OSCAR_MLM_CREDIT_REFERRAL_AMOUNT = None

# Name of Oscar's payment source type for credit spent at checkout.
OSCAR_MLM_CREDIT_SOURCE_TYPE = "Loyalty credit"

# Credit spent on an order that is still missing after this many minutes is an orphan
# (the process died between the spend and the order) and is given back by
# ``manage.py mlm_credit_return_orphans``. Longer than your slowest checkout.
OSCAR_MLM_CREDIT_ORPHAN_MINUTES = 60

# How many days back that command looks for orphans (0: the whole ledger).
OSCAR_MLM_CREDIT_ORPHAN_LOOKBACK_DAYS = 7

# Ways to pay what credit leaves of an order, as dotted paths of
# ``oscar_mlm.apps.checkout.methods.PaymentMethod`` subclasses, offered on the payment step
# in this order (the first is preselected). Empty: no choice; the rest goes to the checkout's
# ``handle_remaining_payment`` (Oscar's default takes no payment). The sandbox offers
# ``"oscar_mlm.apps.checkout.methods.Invoice"``.
OSCAR_MLM_PAYMENT_METHODS = ()

# -- Commissions (F5) -------------------------------------------------------------------------

# The most levels a commission plan may pay (its level cap cannot exceed this).
OSCAR_MLM_COMMISSION_LEVELS = 10

# Ceiling (percent) of the rates of a plan added up, own-volume rate included; a plan
# above it is refused. Each single rate is also at most this.
OSCAR_MLM_COMMISSION_MAX_TOTAL_RATE = "40"

# -- REST API (docs/api.rst) ------------------------------------------------------------------

# Rows per page of the API's lists (keyset pagination), and the most a client may ask
# for with ``?limit=``.
OSCAR_MLM_API_PAGE_SIZE = 50
OSCAR_MLM_API_MAX_PAGE_SIZE = 200

# Rate limits of the API, as DRF writes them ("20/hour", "5/minute"); None: no limit.
# Code generation per distributor, redemption attempts per user (or IP address for
# guests) on top of the failed-code throttle of the web pages, sign-ups per IP address.
OSCAR_MLM_API_VOUCHER_GENERATE_RATE = "20/hour"
OSCAR_MLM_API_VOUCHER_REDEEM_RATE = "30/hour"
OSCAR_MLM_API_SIGNUP_RATE = "20/hour"

# -- Production (docs/hosting.rst) -------------------------------------------------------------

# Reverse proxies in front of the shop that append the client's address to
# X-Forwarded-For (nginx: ``$proxy_add_x_forwarded_for``). 0: the client is REMOTE_ADDR.
# Behind one proxy REMOTE_ADDR is the proxy for every visitor, so the voucher throttle
# (per IP address) would block the whole shop after a few failed codes: set 1. Never more
# than the proxies you run: the entries left of theirs are whatever the client sent.
OSCAR_MLM_REVERSE_PROXIES = 0

# ``oscar_mlm.errors.server_error`` (the shop's handler500) answers a database that is
# briefly away with 503 and this Retry-After; other errors go to this view.
OSCAR_MLM_RETRY_AFTER_SECONDS = 5
OSCAR_MLM_SERVER_ERROR_VIEW = "oscar.views.handler500"

# -- Statements and credit notes (Gutschriften) -------------------------------------------------

# The company as printed on every credit note: legal name (default: OSCAR_MLM_COMPANY_NAME),
# postal address (a list of lines), VAT identification number and tax number.
OSCAR_MLM_COMPANY_LEGAL_NAME = ""
OSCAR_MLM_COMPANY_ADDRESS = ()
OSCAR_MLM_COMPANY_VAT_ID = ""
OSCAR_MLM_COMPANY_TAX_NUMBER = ""
# ISO code of the company's country: the reverse charge is for distributors outside it.
OSCAR_MLM_COMPANY_COUNTRY = "DE"

# VAT (percent) added to the commission of distributors liable to VAT.
OSCAR_MLM_COMMISSION_VAT_RATE = "19"

# Credit note numbers: this prefix and a six-digit sequence (GS-000001, GS-000002, ...).
OSCAR_MLM_CREDIT_NOTE_PREFIX = "GS-"

# Whether an erasure (GDPR art. 17) leaves issued credit notes as they were: recipient's
# name, address, VAT ID and tax number kept for the retention the law requires (art. 17(3)(b);
# in Germany §147 AO, §14b UStG: ten years). Off: they lose them like everything else.
OSCAR_MLM_ERASURE_KEEPS_CREDIT_NOTES = False

# Lines per page of a statement (account area and dashboard).
OSCAR_MLM_COMMISSION_LINES_PER_PAGE = 100

# Statements per page of a period in the dashboard.
OSCAR_MLM_COMMISSION_STATEMENTS_PER_PAGE = 50

# TrueType fonts (regular, bold) of statement PDFs; where the files are missing the PDF
# core font Helvetica is used (Latin-1 only). Debian: package fonts-dejavu-core.
OSCAR_MLM_PDF_FONTS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
)
