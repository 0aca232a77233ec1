"""Two editors, one record: no lost edit, no phantom edit.

Every change form carries the version of the record it was opened at and a
signed copy of the values it showed. Saving locks the row; if someone else
(another editor, a merge, the ingest) changed the record since, the save is
refused and the form comes back with a message naming what the other change
did, the other change's values in every field this editor left alone, and
this editor's own values where they typed. Saving again then keeps both.

Fields count as changed only when their normalised values differ (line
endings, surrounding whitespace, Unicode form), so a browser sending CRLF for
a text the catalogue stores with LF does not mark an untouched abstract as
edited, nor write a history row for it.
"""

import datetime
import json
import unicodedata

from django import forms
from django.core import signing
from django.core.exceptions import FieldDoesNotExist
from django.db.models import F
from django.utils.functional import cached_property

SALT = "catalogue.admin.concurrency"


def normalised(value):
    """A form value as the catalogue compares it: text in NFC with LF line ends, trimmed."""
    if isinstance(value, str):
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        return unicodedata.normalize("NFC", value).strip()
    return value


def _plain(value):
    """A value as JSON can carry it in the form's signed copy."""
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if hasattr(value, "pk"):
        return value.pk
    return value


class VersionedForm(forms.ModelForm):
    """A ModelForm that refuses a stale save and sees only real changes."""

    version_seen = forms.IntegerField(widget=forms.HiddenInput, required=False)
    values_seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version_seen"].initial = self.instance.version
            self.fields["values_seen"].initial = self._sign(self._current_values(self.instance))

    # ------------------------------------------------------------ what changed

    def _model_fields(self):
        return [name for name in self.fields if name not in ("version_seen", "values_seen")]

    def _current_values(self, instance):
        opts = instance._meta
        values = {}
        for name in self._model_fields():
            try:
                field = opts.get_field(name)
            except FieldDoesNotExist:  # a form-only field, such as "release"
                continue
            if field.many_to_many:
                continue
            values[name] = _plain(normalised(field.value_from_object(instance)))
        return values

    @staticmethod
    def _sign(values):
        return signing.dumps(values, salt=SALT, compress=True)

    def _unsign(self, text):
        try:
            return signing.loads(text, salt=SALT)
        except signing.BadSignature:
            return None

    @cached_property
    def changed_data(self):
        """Fields whose value the editor changed, compared as the catalogue compares them."""
        changed = []
        for name, bound in self._bound_items():
            if name in ("version_seen", "values_seen") or not bound._has_changed():
                continue
            initial = normalised(bound.initial)
            value = self.cleaned_data.get(name) if hasattr(self, "cleaned_data") else None
            if hasattr(self, "cleaned_data") and name in self.cleaned_data:
                if _plain(normalised(value)) == _plain(initial):
                    continue
            changed.append(name)
        return changed

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                cleaned[name] = normalised(value)
        # A text the editor did not really change keeps the stored value exactly.
        for name in self._model_fields():
            stored = self.initial.get(name)
            if isinstance(stored, str) and name in cleaned and name not in self.changed_data:
                cleaned[name] = stored
        self._refuse_stale_save()
        return cleaned

    # ------------------------------------------------------------ stale saves

    def _refuse_stale_save(self):
        if not self.instance.pk:
            return
        seen = self.cleaned_data.get("version_seen")
        if seen is None:
            return
        model = type(self.instance)
        # Locked until this save commits: a second editor's save waits here, then sees ours.
        current = model._default_manager.select_for_update().get(pk=self.instance.pk)
        if current.version == seen:
            return
        values_seen = self._unsign(self.cleaned_data.get("values_seen") or "") or {}
        now = self._current_values(current)
        theirs = {name: (values_seen.get(name), value) for name, value in now.items()}
        theirs = {name: pair for name, pair in theirs.items() if pair[0] != pair[1]}
        mine = set(self.changed_data)
        self._take_their_values(current, theirs, mine)
        raise forms.ValidationError(self._conflict_message(theirs, mine), code="stale")

    def _take_their_values(self, current, theirs, mine):
        """Show the form again at the record's new version, keeping both sides' edits."""
        data = self.data.copy()
        prefix = self.add_prefix
        for name, (_, value) in theirs.items():
            if name not in mine:
                data[prefix(name)] = "" if value is None else self._widget_value(name, value)
        data[prefix("version_seen")] = str(current.version)
        data[prefix("values_seen")] = self._sign(self._current_values(current))
        self.data = data

    def _widget_value(self, name, value):
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        if isinstance(value, bool):
            return "on" if value else ""
        return str(value)

    def _conflict_message(self, theirs, mine):
        if not theirs:
            what = "its linked rows (authors, keywords, references or names)"
        else:
            what = "; ".join(
                f"{self.fields[name].label or name}: {json.dumps(old, ensure_ascii=False)}"
                f" → {json.dumps(new, ensure_ascii=False)}"
                for name, (old, new) in sorted(theirs.items())
            )
        both = sorted(mine & set(theirs))
        message = (
            "Someone else saved this record after you opened it, so nothing was saved. "
            f"What they changed: {what}. The form now holds their values, and yours where "
            "you typed; check it and save again."
        )
        if both:
            labels = ", ".join(self.fields[name].label or name for name in both)
            message += f" You both changed {labels}: your value is kept in the form."
        return message


def versions_of(records) -> str:
    """The versions a page showed, for a form that acts on several records (a merge)."""
    return ",".join(f"{record.pk}:{record.version}" for record in records)


def changed_since(model, shown: str) -> list:
    """The records among those a page showed whose version moved since; locks them all
    until the transaction ends, so that the action that follows sees them as checked."""
    seen = {}
    for part in shown.split(","):
        pk, _, version = part.partition(":")
        if pk.isdigit() and version.isdigit():
            seen[int(pk)] = int(version)
    current = model._default_manager.select_for_update().filter(pk__in=seen).order_by("pk")
    return [record for record in current if record.version != seen[record.pk]]


class VersionedAdminMixin:
    """ModelAdmin side: the version-checking form, and a version bump for inline edits."""

    form = VersionedForm
    VERSION_FIELDS = ("version_seen", "values_seen")

    def get_fieldsets(self, request, obj=None):
        """The version fields ride along, hidden, in the first fieldset of a change form."""
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        (name, options), *rest = fieldsets
        fields = [f for f in options["fields"] if f not in self.VERSION_FIELDS]
        return [(name, {**options, "fields": [*fields, *self.VERSION_FIELDS]}), *rest]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if change and any(formset.has_changed() for formset in formsets):
            # The row itself may be unchanged: count the inline edit as a change of it.
            type(form.instance)._default_manager.filter(pk=form.instance.pk).update(
                version=F("version") + 1
            )
