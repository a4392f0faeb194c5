"""Measuring at scale: the full-size data set (seed_scale), the page and import benchmarks
(bench_pages, bench_import) and the load test (run.py). Nothing of the product imports it."""

from django.apps import AppConfig


class LoadtestConfig(AppConfig):
    name = "loadtest"
    verbose_name = "Load test"
