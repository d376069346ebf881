"""The project's URLs: the admin, the API, and each app's pages (its own urls.py), as NetBox's netbox/urls.py does."""

from django.contrib import admin
from django.urls import include, path

from bangfu.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("bangfu.core.urls")),
    path("", include("bangfu.regions.urls")),
    path("", include("bangfu.pairing.urls")),
    path("", include("bangfu.households.urls")),
    path("", include("bangfu.projects.urls")),
    path("", include("bangfu.funds.urls")),
    path("", include("bangfu.portal.urls")),  # the public disclosure portal: no login
    path("", include("bangfu.labor.urls")),
    path("", include("bangfu.talent.urls")),
    path("", include("bangfu.dashboards.urls")),
]
