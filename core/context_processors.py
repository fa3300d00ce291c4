"""Values every page's layout needs."""

NAVIGATION = [
    ("Dashboard", "dashboard"),
    ("Indicators", "indicators:list"),
    ("Meetings", "meetings:list"),
    ("Recommendations", "recommendations:list"),
    ("Search", "search:results"),
]


def navigation(request) -> dict:
    from django.urls import reverse

    path = request.path
    items = []
    for label, name in NAVIGATION:
        url = reverse(name)
        active = path == url if url == "/" else path.startswith(url)
        items.append({"label": label, "url": url, "active": active})
    return {"nav_items": items}
