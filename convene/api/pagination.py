from rest_framework.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    """`?limit=&offset=`; a limit above the maximum reads as the maximum (no database is asked for
    more rows than it can count)."""

    max_limit = 500
