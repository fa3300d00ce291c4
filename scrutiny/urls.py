from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from indicators import views as indicator_views

from . import views

admin.site.site_header = "Scrutiny administration"
admin.site.site_title = "Scrutiny admin"
admin.site.index_title = "Data, meetings and the tracker"

urlpatterns = [
    path("", indicator_views.dashboard, name="dashboard"),
    path("panels/<slug:slug>/", indicator_views.dashboard, name="panel-dashboard"),
    path(
        "panels/<slug:slug>/performance/",
        indicator_views.performance,
        name="panel-performance",
    ),
    path("api/", include("indicators.api_urls")),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("indicators/", include("indicators.urls")),
    path("meetings/", include("meetings.urls")),
    path("recommendations/", include("recommendations.urls")),
    path("search/", include("scrutiny.search_urls")),
    path("admin/", admin.site.urls),
]

handler500 = "scrutiny.views.server_error"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
