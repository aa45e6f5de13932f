"""Staff accounts in the browser, for admins: invite, change role, disable and enable, sign
out everywhere, reset two-factor sign-in. Every change is audited. And the invitation link,
where a new person chooses a password (then sets up two-factor sign-in)."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.wrappers import Response
from wtforms import EmailField, PasswordField, SelectChoice, SelectField
from wtforms.validators import DataRequired, EqualTo, Length

from .. import accounts, invitations, twofactor
from ..extensions import db, limiter
from ..models import Role, User, utcnow
from ..patient.forms import ActionForm
from . import bp
from .access import admin_required, audit_here
from .forms import plain_text

ROLE_LABELS = {Role.CLINICIAN.value: "Clinician", Role.ADMIN.value: "Admin"}
ROLE_CHOICES = [SelectChoice(value, label) for value, label in ROLE_LABELS.items()]


class InviteForm(FlaskForm):
    email = EmailField(
        "Email address",
        validators=[DataRequired("Enter the person's email address."), Length(max=254), plain_text],
    )
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.CLINICIAN.value)


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)


class ChoosePasswordForm(FlaskForm):
    password = PasswordField("Choose a password", validators=[DataRequired("Choose a password.")])
    confirm = PasswordField(
        "Type the password again",
        validators=[
            DataRequired("Type the password again."),
            EqualTo("password", "The two passwords are not the same."),
        ],
    )


def _errors(form: FlaskForm) -> dict[str, str]:
    return {f.id: f.errors[0] for f in form if f.errors and f.id != "csrf_token"}


def _accounts_page(invite_form: InviteForm, status: int = 200) -> tuple[str, int]:
    users = list(db.session.scalars(select(User).order_by(User.email)))
    return render_template(
        "clinician/accounts.html",
        users=users,
        invitations=invitations.pending_invitations(utcnow()),
        invite_form=invite_form,
        errors=_errors(invite_form),
        role_labels=ROLE_LABELS,
        action_form=ActionForm(),
    ), status


@bp.get("/accounts")
@admin_required
def accounts_page() -> tuple[str, int]:
    """Every staff account: role, whether enabled, two-factor, last sign-in; and invitations."""
    return _accounts_page(InviteForm(formdata=None))


@bp.post("/accounts/invite")
@admin_required
def invite() -> Response | tuple[str, int]:
    form = InviteForm()
    if form.validate_on_submit():
        config = current_app.config
        try:
            invitation = invitations.invite(
                form.email.data or "",
                form.role.data or "",
                current_user,  # type: ignore[arg-type]
                utcnow(),
                config["INVITATION_HOURS"],
                config["CLINIC_NAME"],
            )
        except ValueError as error:
            form.email.errors.append(str(error))
        else:
            audit_here("invitation_sent", detail=f"{invitation.email} as {invitation.role}")
            db.session.commit()
            flash(f"An invitation was sent to {invitation.email}.")
            return redirect(url_for("clinician.accounts_page"))
    return _accounts_page(form, 422)


def _target(user_id: int) -> User:
    return db.get_or_404(User, user_id)


def _done(message: str) -> Response:
    db.session.commit()
    flash(message)
    return redirect(url_for("clinician.accounts_page"))


def _refused(error: Exception) -> Response:
    db.session.rollback()
    flash(str(error))
    return redirect(url_for("clinician.accounts_page"))


@bp.post("/accounts/<int:user_id>/role")
@admin_required
def change_role(user_id: int) -> Response:
    user = _target(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return _refused(ValueError("Choose a role."))
    previous = user.role
    try:
        accounts.set_role(user, form.role.data or "")
    except ValueError as error:
        return _refused(error)
    if previous != user.role:
        audit_here("role_changed", detail=f"{user.email}: {previous} -> {user.role}")
    return _done(f"{user.email} is now {'an admin' if user.is_admin else 'a clinician'}.")


def _account_action(user_id: int, action: str) -> Response:
    user = _target(user_id)
    if not ActionForm().validate_on_submit():
        return _refused(ValueError("That page had expired. Please try again."))
    try:
        if action == "disable":
            accounts.set_active(user, False)
            message = f"{user.email} is disabled; their sessions have ended."
        elif action == "enable":
            accounts.set_active(user, True)
            message = f"{user.email} is enabled again."
        elif action == "sign_out":
            accounts.end_sessions(user)
            message = f"{user.email} is signed out everywhere."
        else:
            twofactor.reset(user)
            accounts.end_sessions(user)
            message = f"{user.email} sets up two-factor sign-in again at their next sign-in."
    except accounts.LastAdmin as error:
        return _refused(error)
    audit_names = {
        "disable": "account_disabled",
        "enable": "account_enabled",
        "sign_out": "sessions_ended",
        "reset_two_factor": "two_factor_reset",
    }
    audit_here(audit_names[action], detail=user.email)
    return _done(message)


@bp.post("/accounts/<int:user_id>/disable")
@admin_required
def disable_account(user_id: int) -> Response:
    return _account_action(user_id, "disable")


@bp.post("/accounts/<int:user_id>/enable")
@admin_required
def enable_account(user_id: int) -> Response:
    return _account_action(user_id, "enable")


@bp.post("/accounts/<int:user_id>/sign-out")
@admin_required
def sign_out_account(user_id: int) -> Response:
    return _account_action(user_id, "sign_out")


@bp.post("/accounts/<int:user_id>/reset-two-factor")
@admin_required
def reset_two_factor(user_id: int) -> Response:
    return _account_action(user_id, "reset_two_factor")


@bp.route("/invitation/<token>", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["SIGN_IN_RATE_LIMIT"], methods=["POST"])
def accept_invitation(token: str) -> Response | tuple[str, int]:
    """The invited person chooses a password, then sets up two-factor sign-in."""
    invitation = invitations.valid_invitation(token, utcnow())
    if invitation is None:
        return render_template("clinician/invitation_gone.html"), 404
    form = ChoosePasswordForm()
    if form.validate_on_submit():
        try:
            user = invitations.accept(invitation, form.password.data or "", utcnow())
        except ValueError as error:
            db.session.rollback()
            form.password.errors.append(str(error))
        else:
            audit_here("invitation_accepted", user=user)
            from .two_factor import begin_second_step

            return begin_second_step(user, url_for("clinician.queue"))
    status = 422 if request.method == "POST" else 200
    return render_template(
        "clinician/invitation.html",
        form=form,
        errors=_errors(form),
        email=invitation.email,
        min_length=accounts.MIN_PASSWORD_LENGTH,
    ), status
