"""Root URLs. Each domain app is mounted under its tenant, ``/<tenant-slug>/<prefix>/``,
when its AppConfig declares ``url_prefix``."""

from __future__ import annotations

from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from kotacerdas.accounts import views as accounts_views
from kotacerdas.api import api
from kotacerdas.core import views as core_views
from kotacerdas.tenants import views as tenants_views

urlpatterns = [
    path("", tenants_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("akun/", include("kotacerdas.accounts.urls")),
    # Before Django's own: the switch also remembers a signed-in user's message language.
    path("i18n/setlang/", accounts_views.set_language_view, name="set_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
]

# Fixed paths first: "/akun/notifikasi/" must not be read as tenant "akun", app "notifikasi".
for config in apps.get_app_configs():
    root_urls = getattr(config, "root_urls", None)
    if root_urls:
        urlpatterns.append(path(root_urls, include(f"{config.name}.root_urls")))
for config in apps.get_app_configs():
    prefix = getattr(config, "url_prefix", None)
    if prefix:
        urlpatterns.append(path(f"<slug:tenant_slug>/{prefix}/", include(f"{config.name}.urls")))

urlpatterns.append(path("<slug:tenant_slug>/", tenants_views.tenant_home, name="tenant_home"))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
