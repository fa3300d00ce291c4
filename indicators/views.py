from django.http import HttpResponse


def index(request):
    return HttpResponse("")


def dashboard(request, slug=None):
    return HttpResponse("")
