"""Forms of the emailed links: ask for a link, answer a link's question, cancel a reminder.

Labels are English, translated where the page shows them (forms.html); messages are looked up
in the language of the page that shows them (lazy).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _  # in the language of the page that shows the form
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, EmailField
from wtforms.validators import Email, InputRequired, Length

from ..questionnaire.words import N_


class SaveForLaterForm(FlaskForm):
    """Where to send the link to continue, and whether to be reminded."""

    email = EmailField(
        N_("Email address"),
        validators=[
            InputRequired(_("Enter your email address")),
            Length(max=254, message=_("Enter an email address of 254 characters or fewer")),
            Email(_("Enter an email address like name@example.com"), check_deliverability=False),
        ],
    )
    remind = BooleanField()


class DateOfBirthForm(FlaskForm):
    """The question a link asks once a date of birth is saved."""

    date_of_birth = DateField(
        N_("Date of birth"),
        validators=[InputRequired(_("Enter your date of birth"))],
        invalid_value_message=_("Enter a real date, for example 14 March 1988"),
        render_kw={"autocomplete": "bday"},
    )


class LinkEmailForm(FlaskForm):
    """The question a link asks before a date of birth is saved."""

    email = EmailField(
        N_("Email address"),
        validators=[InputRequired(_("Enter the email address the link was sent to"))],
        render_kw={"autocomplete": "email", "spellcheck": "false"},
    )
