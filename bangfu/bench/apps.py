from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "bangfu.bench"
    label = "bench"
    verbose_name = "Benchmarks"
