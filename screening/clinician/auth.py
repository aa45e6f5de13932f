"""Sign-in, sign-out and passwords for clinic staff (Flask-Login)."""

from __future__ import annotations

from ..extensions import db, login_manager
from ..models import User

login_manager.login_view = "clinician.sign_in"
login_manager.login_message = "Please sign in to see this page."


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    return db.session.get(User, int(user_id)) if user_id.isdigit() else None
