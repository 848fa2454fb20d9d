from rest_framework.pagination import PageNumberPagination as _Base


class PageNumberPagination(_Base):
    """Page-number pagination; callers may ask for up to 200 rows a page."""

    page_size_query_param = "page_size"
    max_page_size = 200
