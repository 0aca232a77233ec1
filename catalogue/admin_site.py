"""The admin site of the catalogue: editors only, and a login that resists guessing.

INSTALLED_APPS names `catalogue.admin_apps.CatalogueAdminConfig` in place of
"django.contrib.admin", so `admin.site` is a CatalogueAdminSite.

- Only active staff in the Editors group, or superusers, get into the admin.
- Login attempts are counted per client address and user name in the shared cache
  (catalogue.limits): after ADMIN_LOGIN_MAX_FAILURES (default 5) failures that pair
  is refused until ADMIN_LOGIN_LOCKOUT_SECONDS (default 15 minutes) have passed since
  its first failure, whatever password it tries. A successful login clears the count.

Why the pair and not the user name alone: a lockout per user name would let anyone,
anywhere, lock a named editor out by typing wrong passwords for them. Keyed on the pair,
guesses from elsewhere lock out only the guesser's address; the editor's own address
(as the trusted proxy reports it, see TRUSTED_PROXIES) still logs in. The price is that
an attacker with many addresses gets ADMIN_LOGIN_MAX_FAILURES guesses from each: editors'
passwords must be long (the password validators), not merely rate limited.

The attempt is counted before the password is checked, atomically, so that parallel
requests cannot slip more guesses past the limit than it allows.
"""

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.urls import path

from . import limits

EDITORS_GROUP = "Editors"


def is_editor(user) -> bool:
    """Active staff in the Editors group, or a superuser; remembered on the user object."""
    if not (user.is_active and user.is_staff):
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_catalogue_is_editor", None)
    if cached is None:
        cached = user.groups.filter(name=EDITORS_GROUP).exists()
        user._catalogue_is_editor = cached
    return cached


def _failure_key(request, username: str) -> str:
    return limits.key(
        "admin-login-failures", limits.client_key(request), (username or "").strip().lower()
    )


def max_failures() -> int:
    return settings.ADMIN_LOGIN_MAX_FAILURES


def lockout_seconds() -> int:
    return settings.ADMIN_LOGIN_LOCKOUT_SECONDS


class RateLimitedLoginForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "locked": "Too many failed logins for this account from your address. "
        "Try again in %(minutes)d minutes.",
        "not_editor": "This account is not an editor's: ask an administrator to add it "
        "to the Editors group.",
    }

    def clean(self):
        username = self.cleaned_data.get("username", "")
        key = _failure_key(self.request, username)
        if limits.hit(key, lockout_seconds()) > max_failures():
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": max(1, lockout_seconds() // 60)},
            )
        cleaned = super().clean()  # a wrong password raises, and the attempt stays counted
        if self.get_user() is not None:  # logged in (not merely a field left empty)
            limits.reset(key)
        return cleaned

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not is_editor(user):
            raise forms.ValidationError(self.error_messages["not_editor"], code="not_editor")


class CatalogueAdminSite(admin.AdminSite):
    site_header = "Catalogue editors"
    site_title = "Catalogue editors"
    index_title = "Catalogue"
    login_form = RateLimitedLoginForm
    index_template = "admin/catalogue_index.html"

    def has_permission(self, request):
        return is_editor(request.user)

    def get_urls(self):
        from .admin import review, uploads

        return [
            path("review/", self.admin_view(review.queue_view), name="review_queue"),
            path(
                "review/confirm-dois/",
                self.admin_view(review.confirm_dois_view),
                name="confirm_dois",
            ),
            path("review/issues/", self.admin_view(review.overview_view), name="issue_overview"),
            path(
                "documents/add/", self.admin_view(uploads.add_documents_view), name="add_documents"
            ),
            path(
                "documents/<uuid:batch>/confirm/",
                self.admin_view(uploads.confirm_view),
                name="confirm_documents",
            ),
            path(
                "documents/<uuid:batch>/",
                self.admin_view(uploads.documents_added_view),
                name="documents_added",
            ),
            path(
                "documents/uploads/<int:pk>/download/",
                self.admin_view(uploads.download_view),
                name="download_upload",
            ),
            *super().get_urls(),
        ]
