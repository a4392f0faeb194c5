"""A manager starts the same 3,000-row import twice (a double click, two tabs) and two task
workers run both at once, on PostgreSQL. "Skip rows whose email already belongs to a lead"
still holds: every email is imported once.

The interleaving is forced: both imports check every row (and find no duplicate, since neither
has saved) before either begins to save; without the lock and the second check under it, both
would then save all 3,000.
"""

import threading
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from leads import importing
from leads.models import Lead, LeadImport

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="advisory locks are PostgreSQL's; SQLite lets one writer at a time anyway",
    ),
]

ROWS = 3_000


def queued_import(manager, owner) -> LeadImport:
    rows = "".join(f"Person {n},person{n}@import.example\n" for n in range(ROWS))
    upload = SimpleUploadedFile("people.csv", f"Name,Email\n{rows}".encode(), "text/csv")
    text, headers, total = importing.read_upload(upload)
    return LeadImport.objects.create(
        created_by=manager,
        owner=owner,
        team=owner.team,
        file_name="people.csv",
        content=text,
        headers=headers,
        mapping={"0": "full_name", "1": "email"},
        total=total,
        skip_duplicates=True,
        status=LeadImport.Status.QUEUED,
    )


def test_two_imports_of_one_file_at_once_import_each_email_once(transactional_db, manager, rep):
    imports = [queued_import(manager, rep), queued_import(manager, rep)]
    both_checked = threading.Barrier(2, timeout=30)
    real_hold = importing._hold_duplicate_check
    errors = []

    def hold_once_both_checked():
        both_checked.wait()  # each has checked all its rows; neither has saved one
        real_hold()

    def run(lead_import):
        try:
            importing.run_import(lead_import.pk)
        except Exception as error:  # reported below, in the main thread
            errors.append(error)
        finally:
            connection.close()

    with mock.patch.object(importing, "_hold_duplicate_check", hold_once_both_checked):
        threads = [threading.Thread(target=run, args=(i,)) for i in imports]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)

    assert errors == []
    assert Lead.objects.count() == ROWS
    assert Lead.objects.values("email_normalized").distinct().count() == ROWS
    results = sorted(LeadImport.objects.values_list("status", "processed", "imported", "rejected"))
    assert results == [("done", ROWS, 0, ROWS), ("done", ROWS, ROWS, 0)]
    skipped = LeadImport.objects.get(imported=0)
    assert skipped.rejected_csv.count("A lead with this email exists.") == ROWS
