"""A statement as PDF (fpdf2): a self-billing credit note (Gutschrift) once one is issued.

A credit note carries what § 14 UStG asks of one: the word "Gutschrift",
both parties' names and addresses, the distributor's tax number or VAT id,
a unique sequential number, the date of issue, the period of the service,
the net amount, the VAT rate and amount (or the note why there is none) and
the amount paid out. A statement without a credit note (open period, total
not positive, tax details missing) prints the same figures and says why it
is not a credit note.

Text is set in DejaVu Sans when the font files exist (``OSCAR_MLM_PDF_FONTS``,
Debian's ``fonts-dejavu-core``), else in the PDF core font Helvetica, which
covers Latin-1 (German included); other characters become "?".
"""

import os

from django.utils import formats
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from oscar_mlm.conf import get_setting

from .services import statements as statement_services


def money(value, currency):
    return f"{formats.number_format(value, 2, use_l10n=True, force_grouping=True)} {currency}"


def day(value):
    return formats.date_format(value, "SHORT_DATE_FORMAT")


class _Document(FPDF):
    def __init__(self):
        super().__init__(format="A4")
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(True, margin=18)
        regular, bold = (list(get_setting("OSCAR_MLM_PDF_FONTS") or ()) + [None, None])[:2]
        if regular and bold and os.path.exists(regular) and os.path.exists(bold):
            self.add_font("Body", "", regular)
            self.add_font("Body", "B", bold)
            self.family, self.unicode = "Body", True
        else:
            self.family, self.unicode = "Helvetica", False
        self.add_page()

    def text_of(self, value):
        text = str(value)
        if not self.unicode:
            text = text.encode("latin-1", "replace").decode("latin-1")
        return text

    def write_line(self, text, size=10, bold=False, height=5, align="L", width=0):
        self.set_font(self.family, "B" if bold else "", size)
        self.cell(width, height, self.text_of(text), align=align, new_x=XPos.LMARGIN,
                  new_y=YPos.NEXT)

    def paragraph(self, text, size=9, height=4.5):
        self.set_font(self.family, "", size)
        self.multi_cell(0, height, self.text_of(text), align="L", new_x=XPos.LMARGIN,
                        new_y=YPos.NEXT)

    def pair(self, label, value, bold=False):
        self.set_font(self.family, "B" if bold else "", 10)
        self.cell(110, 6, self.text_of(label))
        self.cell(0, 6, self.text_of(value), align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def statement_pdf(statement, credit_note=None, profile=None):
    """The PDF of ``statement`` (bytes): a credit note if ``credit_note`` is given."""
    period = statement.period
    member = statement.member
    currency = statement.currency
    doc = _Document()
    doc.set_title(credit_note.number if credit_note else str(period))
    doc.set_creator("django-oscar-mlm")

    company = (
        {
            "company_name": credit_note.company_name,
            "company_address": credit_note.company_address,
            "company_vat_id": credit_note.company_vat_id,
            "company_tax_number": credit_note.company_tax_number,
        }
        if credit_note
        else statement_services.company_details()
    )
    # Sender line and the company's block.
    doc.write_line(company["company_name"], size=13, bold=True, height=7)
    for line in company["company_address"].splitlines():
        doc.write_line(line, size=9, height=4.5)
    if company["company_vat_id"]:
        doc.write_line(_("VAT ID: %(id)s") % {"id": company["company_vat_id"]}, size=9,
                       height=4.5)
    if company["company_tax_number"]:
        doc.write_line(_("Tax number: %(number)s") % {"number": company["company_tax_number"]},
                       size=9, height=4.5)
    doc.ln(6)

    # The distributor (the supplier of the service, recipient of the credit note).
    if credit_note:
        doc.write_line(credit_note.name, bold=True)
        for line in credit_note.address.splitlines():
            doc.write_line(line)
        if credit_note.vat_id:
            doc.write_line(_("VAT ID: %(id)s") % {"id": credit_note.vat_id})
        if credit_note.tax_number:
            doc.write_line(_("Tax number: %(number)s") % {"number": credit_note.tax_number})
    elif profile:
        doc.write_line(profile.name, bold=True)
        doc.write_line(profile.street)
        doc.write_line(f"{profile.postcode} {profile.city}")
        doc.write_line(profile.country)
    else:
        doc.write_line(member.display_name, bold=True)
    doc.write_line(_("Distributor no. %(number)s") % {"number": member.pk}, size=9)
    doc.ln(8)

    if credit_note:
        doc.write_line(_("Credit note (Gutschrift) %(number)s") % {"number": credit_note.number},
                       size=15, bold=True, height=8)
        doc.write_line(_("Self-billing: the company issues this credit note for the "
                         "distributor's commission."), size=9)
        doc.ln(2)
        doc.pair(_("Credit note number"), credit_note.number)
        doc.pair(_("Date of issue"), day(credit_note.issued))
    else:
        doc.write_line(_("Commission statement"), size=15, bold=True, height=8)
        doc.ln(2)
    doc.pair(
        _("Period of service"),
        f"{day(period.start)} - {day(statement_services.period_end_day(period))} ({period})",
    )
    doc.ln(3)

    # Volumes.
    doc.write_line(_("Volumes"), bold=True, height=7)
    doc.pair(_("Personal volume"), money(statement.personal_volume, currency))
    doc.pair(_("Own volume"), money(statement.own_volume, currency))
    doc.pair(_("End-customer volume"), money(statement.end_customer_volume, currency))
    doc.pair(_("Group volume"), money(statement.group_volume, currency))
    doc.pair(_("Qualified"), _("yes") if statement.qualified else _("no"))
    doc.ln(3)

    # Amounts.
    doc.write_line(_("Commission"), bold=True, height=7)
    for row in statement_services.paid_by_level(period, member):
        label = (_("Own volume (level 0), %(count)s lines") if row["level"] == 0
                 else _("Level %(level)s, %(count)s lines")) % row
        doc.pair(label, money(row["amount"], currency))
    doc.pair(_("Commission of the period"), money(statement.commission, currency))
    if statement.corrections:
        doc.pair(_("Corrections (refunds of closed periods)"),
                 money(statement.corrections, currency))
    if statement.opening_balance:
        doc.pair(_("Carried from the previous period"),
                 money(statement.opening_balance, currency))
    doc.pair(_("Total"), money(statement.total, currency), bold=True)
    doc.ln(3)

    if credit_note:
        doc.pair(_("Net amount"), money(credit_note.net, currency))
        doc.pair(
            _("VAT %(rate)s %%") % {"rate": formats.number_format(credit_note.vat_rate, 2,
                                                                  use_l10n=True)},
            money(credit_note.vat, currency),
        )
        doc.pair(_("Amount paid out"), money(credit_note.gross, currency), bold=True)
        doc.ln(4)
        doc.paragraph(tax_note(credit_note.tax_status))
    else:
        doc.paragraph(why_no_credit_note(statement, profile))
    doc.ln(4)
    doc.paragraph(_("The lines of this statement, and why each was paid or not, are in your "
                    "account (My account > Commission statements) and in its CSV download."),
                  size=8, height=4)
    return bytes(doc.output())


def tax_note(tax_status):
    """The sentence a credit note carries for the distributor's tax status."""
    TaxProfile = statement_services._models()[0]
    if tax_status == TaxProfile.SMALL_BUSINESS:
        return _("No VAT is shown: the distributor is a small business within the meaning "
                 "of § 19 UStG (Kleinunternehmerregelung).")
    if tax_status == TaxProfile.REVERSE_CHARGE:
        return _("No German VAT is charged: the recipient of the service is liable for the "
                 "VAT (reverse charge, Steuerschuldnerschaft des Leistungsempfängers).")
    return _("The VAT is added to the commission and paid out with it; the distributor "
             "declares it to their tax office.")


def why_no_credit_note(statement, profile):
    if not statement.period.is_closed:
        return _("Preliminary: the period is still open, so this is not a credit note. "
                 "Figures may change until the period is closed.")
    if statement.total <= 0:
        return _("Nothing is paid out for this period: the total is not positive and is "
                 "carried forward. No credit note is issued.")
    if profile is None:
        return _("Your credit note is issued once you have entered your tax details "
                 "(My account > Tax details).")
    return _("The credit note for this period has not been issued yet.")
