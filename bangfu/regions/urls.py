from django.urls import path

from bangfu.regions import views

urlpatterns = [
    path("regions/", views.RegionTreeView.as_view(), name="region_tree"),
    path("regions/<str:pk>/", views.RegionDetailView.as_view(), name="region_detail"),
    path("regions/<str:pk>/children/", views.RegionChildrenView.as_view(), name="region_children"),
    path("regions/<str:pk>/add/", views.SubRegionCreateView.as_view(), name="region_add_child"),
    path("organisations/", views.OrganisationListView.as_view(), name="organisation_list"),
    path("organisations/new/", views.OrganisationCreateView.as_view(), name="organisation_create"),
    path("organisations/<str:code>/", views.OrganisationDetailView.as_view(), name="organisation_detail"),
    path("organisations/<str:code>/edit/", views.OrganisationEditView.as_view(), name="organisation_edit"),
    path("lookup/regions/", views.lookup_regions, name="lookup_regions"),
    path("lookup/organisations/", views.lookup_organisations, name="lookup_organisations"),
]
