"""The admin app with the catalogue's own site (catalogue.admin_site) as `admin.site`.

Kept apart from the site: INSTALLED_APPS loads this module before any model exists.
"""

from django.contrib.admin.apps import AdminConfig


class CatalogueAdminConfig(AdminConfig):
    default_site = "catalogue.admin_site.CatalogueAdminSite"
