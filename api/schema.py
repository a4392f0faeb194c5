"""What the generated OpenAPI schema must say besides each view's own answer: the errors every
operation may give, and that ``?fields=`` may leave any field of a record out. A client (or a
schema-driven test) reading the schema then expects what the API really sends."""

from api.serializers import Trimmed

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
    "description": "What went wrong, in the user's language.",
}
# The form's messages per field (``{"email": ["Enter a valid email address."]}``), or a
# ``detail`` when the request itself could not be read.
INVALID = {"type": "object", "description": "The messages per field, or a detail."}


def _errors(path: str, method: str) -> dict:
    errors = {
        "400": ("Invalid", "A filter or field was refused; the messages say why."),
        "401": ("Error", "No valid token or session."),
        "429": ("Error", "Past the rate limit: Retry-After says when to try again."),
    }
    if "{id}" in path:
        errors["404"] = ("Error", "No such record among those this user sees.")
    elif method == "get":
        errors["404"] = ("Error", "A cursor that is not one this list gave.")
    if method != "get":
        errors |= {
            "403": ("Error", "A read-only token, or a write this user may not make."),
            "409": ("Error", "The record's state does not allow it."),
            "422": ("Error", "The Idempotency-Key was used with another body."),
        }
    return errors


def _trimmed_components() -> set[str]:
    """The response components of the records ``?fields=`` trims (drf-spectacular names a
    serializer's component after it, without "Serializer")."""
    found, pending = set(), [Trimmed]
    while pending:
        serializer = pending.pop()
        for subclass in serializer.__subclasses__():
            found.add(subclass.__name__.removesuffix("Serializer"))
            pending.append(subclass)
    return found


def document_errors(result, generator, request, public):
    """A drf-spectacular postprocessing hook."""
    components = result.setdefault("components", {}).setdefault("schemas", {})
    components["Error"], components["Invalid"] = ERROR, INVALID
    for name in _trimmed_components() & set(components):
        # Any field may be left out by ``?fields=``: none is sure to be there.
        components[name].pop("required", None)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            for status, (component, description) in _errors(path, method).items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": f"#/components/schemas/{component}"}
                            }
                        },
                    },
                )
            if method != "get" and "{id}" in path:
                # Someone saved the record since the If-Match version: the record as it is.
                answer = responses.get("200") or responses.get("201")
                if answer is not None:
                    responses.setdefault(
                        "412", {**answer, "description": "Changed since: the record as it is now."}
                    )
    return result
