from django.http import HttpResponse


def child_list(request):
    return HttpResponse("")
