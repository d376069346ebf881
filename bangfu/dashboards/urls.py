from django.urls import path

from bangfu.dashboards import views

urlpatterns = [
    path("dashboards/", views.DashboardView.as_view(), name="dashboard"),
    path("dashboards/export.xlsx", views.ExportView.as_view(), name="dashboard_export"),
    path("dashboards/<str:code>/", views.DashboardView.as_view(), name="dashboard_region"),
    path("dashboards/<str:code>/export.xlsx", views.ExportView.as_view(), name="dashboard_region_export"),
]
