from django.template.response import TemplateResponse


def search(request):
    # Placeholder page until the search engine lands; keeps the header form working.
    return TemplateResponse(request, "search/search.html", {"query": request.GET.get("q", "")[:100]})
