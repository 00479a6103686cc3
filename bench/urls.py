from django.urls import path

from bench.floor import floor
from config.urls import urlpatterns as product

urlpatterns = [path("bench/floor/", floor), *product]
