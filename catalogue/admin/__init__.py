"""The editors' admin: every field correctable, every correction remembered.

- model_admins: a ModelAdmin per model; article fields an editor changes join
  `Article.edited_fields`, so that a later ingest keeps the editor's value;
- review: the review queue and the issue overview;
- people: merge and split authors, merge organisations, likely duplicates;
- uploads: the "Add documents" page (upload, preview, confirm) and the kept files.

The site itself (who may enter, the rate-limited login) is catalogue.admin_site.
"""

from . import model_admins, people, review, uploads  # noqa: F401
