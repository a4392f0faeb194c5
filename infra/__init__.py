"""Platform helpers that know no record of the CRM: environment readers, logs, middleware, the
login lock, PostgreSQL operations, deployment checks, htmx and id helpers, pagination, form
widgets, spreadsheet safety, SQL expressions, background tasks and the figures cache."""
