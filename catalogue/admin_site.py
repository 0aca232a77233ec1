"""The admin site of the catalogue: editors only, and a login that resists guessing.

INSTALLED_APPS names `catalogue.admin_apps.CatalogueAdminConfig` in place of
"django.contrib.admin", so `admin.site` is a CatalogueAdminSite.

- Only active staff in the Editors group, or superusers, get into the admin.
- Failed logins are counted per client address and user name in the cache;
  after ADMIN_LOGIN_MAX_FAILURES (default 5) that pair is locked out for
  ADMIN_LOGIN_LOCKOUT_SECONDS (default 15 minutes), whatever password it tries.
"""

import hashlib

from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.cache import cache
from django.urls import path

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


def client_address(request) -> str:
    """The client's address; behind a proxy, the server must be set up to pass the real one."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _failure_key(request, username: str) -> str:
    raw = f"{client_address(request)}|{(username or '').strip().lower()}"
    return "admin-login-failures:" + hashlib.sha256(raw.encode()).hexdigest()


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
        if cache.get(key, 0) >= max_failures():
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": max(1, lockout_seconds() // 60)},
            )
        try:
            return super().clean()
        except forms.ValidationError:
            try:
                cache.incr(key)
            except ValueError:
                cache.set(key, 1, lockout_seconds())
            raise

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
        from .admin import review

        return [
            path("review/", self.admin_view(review.queue_view), name="review_queue"),
            path(
                "review/confirm-dois/",
                self.admin_view(review.confirm_dois_view),
                name="confirm_dois",
            ),
            path("review/issues/", self.admin_view(review.overview_view), name="issue_overview"),
            *super().get_urls(),
        ]
