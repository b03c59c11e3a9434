from django.http import HttpResponse


def import_upload(request):
    return HttpResponse("")
