"""The site's URLs with the search wired at /search/ (as scrutiny/urls.py is asked to do), for
tests that must not depend on that line being there yet."""

from django.urls import include, path

from scrutiny.urls import urlpatterns as site_patterns

urlpatterns = list(site_patterns)
if not any(str(getattr(p, "pattern", "")) == "search/" for p in site_patterns):
    urlpatterns.append(path("search/", include("scrutiny.search_urls")))
