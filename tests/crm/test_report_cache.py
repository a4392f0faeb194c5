"""Cached report figures: kept until a change, never read again after one."""

from django.core.cache import cache

from crm.report_cache import VERSION_KEY, cached_figures, current_version, figures_changed


def counting(figures: list):
    def compute():
        figures.append(len(figures) + 1)
        return figures[-1]

    return compute


def test_figures_are_computed_once_until_a_change(db, django_capture_on_commit_callbacks):
    computed = []

    first = cached_figures("pipeline", ["all"], counting(computed))
    again = cached_figures("pipeline", ["all"], counting(computed))
    with django_capture_on_commit_callbacks(execute=True):
        figures_changed()
    after = cached_figures("pipeline", ["all"], counting(computed))

    assert (first, again, after) == (1, 1, 2)


def test_each_key_keeps_its_own_figures():
    computed = []

    mine = cached_figures("pipeline", ["rep-1"], counting(computed))
    theirs = cached_figures("pipeline", ["rep-2"], counting(computed))

    assert (mine, theirs) == (1, 2)


def test_a_lost_version_never_brings_old_figures_back():
    computed = []
    cached_figures("pipeline", ["all"], counting(computed))
    before = current_version()

    cache.delete(VERSION_KEY)  # evicted
    after = cached_figures("pipeline", ["all"], counting(computed))

    assert after == 2
    assert current_version() != before
