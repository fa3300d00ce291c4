"""Site search at /search/: scrutiny/urls.py wires it with
path("search/", include("scrutiny.search_urls"))."""

from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from . import search

app_name = "search"


@require_GET
def search_results(request):
    query = request.GET.get("q", "").strip()[: search.MAX_QUERY_LENGTH]
    results = search.search(query=query, user=request.user) if query else []
    return render(
        request, "search/results.html", {"query": query, "results": results}
    )


urlpatterns = [
    path("", search_results, name="results"),
]
