"""Readers report an error on an article page: no account, a honeypot, a rate limit.

Reports become ErrorReport rows that join the editors' review queue. Each
client address (as the trusted proxy reports it) may send REPORTS_PER_HOUR
reports an hour (default 5), counted in the shared cache (catalogue.limits).
"""

from django import forms
from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from . import limits
from .models import Article, ErrorReport


def reports_per_hour() -> int:
    return settings.REPORTS_PER_HOUR


class ErrorReportForm(forms.Form):
    message = forms.CharField(
        label=_("What is wrong?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("For example: the Kazakh title is misspelt, an author is missing."),
    )
    email = forms.EmailField(
        label=_("Your e-mail (optional)"), required=False, help_text=_("Only if you want a reply.")
    )
    # A field people do not see and robots fill in.
    website = forms.CharField(required=False, label=_("Leave this empty"))

    def clean_website(self):
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Your report could not be accepted."))
        return ""


def _take_allowance(request) -> bool:
    """Count one report against the client's hourly allowance; False when used up."""
    key = limits.key("error-reports", limits.client_key(request))
    return limits.hit(key, 60 * 60) <= reports_per_hour()


def report_error(request, pk):
    article = get_object_or_404(Article.objects.select_related("issue"), pk=pk)
    form = ErrorReportForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not form.is_valid():
            status = 400
        elif not _take_allowance(request):
            form.add_error(None, _("Too many reports from your address: please try again later."))
            status = 429
        else:
            ErrorReport.objects.create(
                article=article,
                message=form.cleaned_data["message"].strip(),
                email=form.cleaned_data["email"],
            )
            return render(request, "catalogue/report_form.html", {"article": article, "sent": True})
    return render(
        request, "catalogue/report_form.html", {"article": article, "form": form}, status=status
    )
