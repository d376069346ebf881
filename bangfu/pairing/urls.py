from django.urls import path

from bangfu.pairing import views

urlpatterns = [
    path("pairings/", views.PairingListView.as_view(), name="pairing_list"),
    path("pairings/new/", views.PairingCreateView.as_view(), name="pairing_create"),
    path("pairings/<int:pk>/", views.PairingDetailView.as_view(), name="pairing_detail"),
    path("pairings/<int:pk>/edit/", views.PairingEditView.as_view(), name="pairing_edit"),
    path("pairings/<int:pk>/end/", views.PairingEndView.as_view(), name="pairing_end"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("lookup/recipients/", views.lookup_recipients, name="lookup_recipients"),
]
