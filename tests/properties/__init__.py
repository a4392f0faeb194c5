"""Properties that hold whatever a user does: arbitrary input never gives a server error, and
any sequence of changes leaves the records consistent. The examples are generated (Hypothesis);
each one runs in a savepoint rolled back afterwards, so every example starts from the same rows."""
