from django.contrib.auth import views as auth_views
from django.urls import path

from bangfu.core import import_views, token_views, views

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/tokens/", token_views.TokenListView.as_view(), name="token_list"),
    path("account/tokens/all/", token_views.AllTokensView.as_view(), name="token_all"),
    path("account/tokens/<int:pk>/revoke/", token_views.RevokeTokenView.as_view(), name="token_revoke"),
    path("", views.HomeView.as_view(), name="home"),
    path("modules/<slug:key>/", views.ComingView.as_view(), name="coming"),
    path("changelog/", views.ChangeLogListView.as_view(), name="changelog_list"),
    path("changelog/<int:pk>/", views.ChangeLogDetailView.as_view(), name="changelog_detail"),
    path("imports/", import_views.ImportIndexView.as_view(), name="import_index"),
    path("imports/task/<str:task_id>/", import_views.ImportTaskView.as_view(), name="import_task"),
    path("imports/task/<str:task_id>/report/", import_views.ImportReportView.as_view(), name="import_report"),
    path("imports/<slug:entity>/", import_views.ImportUploadView.as_view(), name="import_upload"),
    path("imports/<slug:entity>/template/", import_views.ImportTemplateView.as_view(), name="import_template"),
]
