from django.http import HttpResponse


def import_upload(request):
    return HttpResponse("")


def import_detail(request, pk):
    return HttpResponse("")
