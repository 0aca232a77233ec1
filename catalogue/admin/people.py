"""Admin pages for people and organisations: merge preview, split, likely duplicates."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode

from .. import editorial
from ..models import Author, Authorship, Organisation
from .concurrency import changed_since, versions_of

STALE_PREVIEW = (
    "Someone changed {names} after this preview was opened, so nothing was merged. "
    "The preview below shows the records as they are now: check it and merge again."
)


def merge_url(model, ids) -> str:
    name = f"admin:catalogue_{model._meta.model_name}_merge"
    return reverse(name) + "?" + urlencode({"ids": ",".join(str(pk) for pk in ids)})


def _ids(value: str) -> list[int]:
    return sorted({int(part) for part in value.split(",") if part.strip().isdigit()})


def _require(request, *perms):
    if not all(request.user.has_perm(f"catalogue.{perm}") for perm in perms):
        raise PermissionDenied


def author_merge_view(request):
    """Preview authors side by side, choose the one to keep, merge on POST."""
    _require(request, "change_author", "delete_author", "change_authorship")
    ids = _ids(request.POST.get("ids") or request.GET.get("ids", ""))
    authors = _authors(ids)
    if len(authors) < 2:
        messages.error(request, "Choose at least two authors to merge.")
        return HttpResponseRedirect(reverse("admin:catalogue_author_changelist"))
    problems = editorial.merge_problems(authors)
    done, problems = merge_on_post(request, authors, problems, editorial.merge_authors)
    if done:
        return done
    if request.method == "POST":
        authors = _authors(ids)  # show them as they are now
    summaries = [editorial.author_summary(author) for author in authors]
    context = {
        **admin.site.each_context(request),
        "title": "Merge authors",
        "opts": Author._meta,
        "summaries": summaries,
        "ids": ",".join(str(a.pk) for a in authors),
        "versions": versions_of(authors),
        "problems": problems,
        "suggested_keep": max(summaries, key=editorial.richness)["author"].pk,
    }
    return TemplateResponse(request, "admin/catalogue/author/merge.html", context)


def _authors(ids):
    return list(Author.objects.filter(pk__in=ids).prefetch_related("name_variants"))


def merge_on_post(request, records, problems, merge):
    """On a POST with no `problems`, merge the records into the chosen one: returns the
    redirect to it, or None and the problems (the merge's refusal among them) when the
    preview must be shown again."""
    if request.method != "POST" or problems:
        return None, problems
    try:
        keep = _merge_chosen(request, records, merge)
    except editorial.EditorialError as error:
        return None, [str(error)]
    if keep is None:
        return None, problems
    messages.success(
        request, f"Merged {len(records)} {type(keep)._meta.verbose_name_plural} into “{keep}”."
    )
    model = type(keep)._meta.model_name
    return HttpResponseRedirect(reverse(f"admin:catalogue_{model}_change", args=[keep.pk])), []


@transaction.atomic
def _merge_chosen(request, records, merge):
    """The record kept once `merge(keep, records, user)` ran; None when the editor must
    look again first (a record changed since the preview, or none was chosen)."""
    model = type(records[0])
    stale = changed_since(model, request.POST.get("versions", ""))
    if stale:
        messages.error(request, STALE_PREVIEW.format(names=", ".join(f"“{r}”" for r in stale)))
        return None
    keep = next((r for r in records if str(r.pk) == request.POST.get("keep", "")), None)
    if keep is None:
        messages.error(request, "Choose the record to keep.")
        return None
    merge(keep, records, request.user)
    return keep


def organisation_merge_view(request):
    _require(request, "change_organisation", "delete_organisation")
    ids = _ids(request.POST.get("ids") or request.GET.get("ids", ""))
    organisations = _organisations(ids)
    changelist = reverse("admin:catalogue_organisation_changelist")
    if len(organisations) < 2:
        messages.error(request, "Choose at least two organisations to merge.")
        return HttpResponseRedirect(changelist)
    if request.method == "POST":
        keep = _merge_chosen(request, organisations, editorial.merge_organisations)
        if keep is not None:
            messages.success(request, f"Merged {len(organisations)} organisations into “{keep}”.")
            return HttpResponseRedirect(
                reverse("admin:catalogue_organisation_change", args=[keep.pk])
            )
        organisations = _organisations(ids)
    context = {
        **admin.site.each_context(request),
        "title": "Merge organisations",
        "opts": Organisation._meta,
        "organisations": organisations,
        "ids": ",".join(str(o.pk) for o in organisations),
        "versions": versions_of(organisations),
        "suggested_keep": max(organisations, key=lambda o: (o.affiliation_count, -o.pk)).pk,
    }
    return TemplateResponse(request, "admin/catalogue/organisation/merge.html", context)


def _organisations(ids):
    return list(
        Organisation.objects.filter(pk__in=ids).annotate(
            affiliation_count=Count("affiliation_links")
        )
    )


class SplitForm(forms.Form):
    target = forms.ModelChoiceField(
        queryset=Author.objects.all(),
        required=False,
        label="Move to author",
        help_text="Leave empty to make a new author from the names printed on this byline.",
        widget=ForeignKeyRawIdWidget(Authorship._meta.get_field("author").remote_field, admin.site),
    )


def author_split_view(request, object_id, authorship_id):
    """Move one authorship of an author to another author, or to a new one."""
    _require(request, "change_author", "add_author", "change_authorship")
    authorship = get_object_or_404(
        Authorship.objects.select_related("author", "article__issue"),
        pk=authorship_id,
        author_id=object_id,
    )
    form = SplitForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            target = editorial.split_authorship(
                authorship, request.user, form.cleaned_data["target"]
            )
        except editorial.EditorialError as error:
            form.add_error("target", str(error))
        else:
            messages.success(
                request,
                f"The authorship of “{authorship.article}” now belongs to “{target}”.",
            )
            return HttpResponseRedirect(reverse("admin:catalogue_author_change", args=[target.pk]))
    context = {
        **admin.site.each_context(request),
        "title": "Split an authorship off an author",
        "opts": Author._meta,
        "authorship": authorship,
        "author": authorship.author,
        "form": form,
        "media": form.media,
    }
    return TemplateResponse(request, "admin/catalogue/author/split.html", context)


def author_duplicates_view(request):
    _require(request, "view_author")
    suggestions = editorial.suggest_duplicate_authors()
    for suggestion in suggestions:
        suggestion.merge_url = merge_url(Author, [a.pk for a in suggestion.authors])
    context = {
        **admin.site.each_context(request),
        "title": "Possible duplicate authors",
        "opts": Author._meta,
        "suggestions": suggestions,
    }
    return TemplateResponse(request, "admin/catalogue/author/duplicates.html", context)
