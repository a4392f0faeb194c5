"""The record of every change made to a record's fields: who, what from and to, when, and
through which channel (a page, an import, the API, the admin, a merge, the system)."""
