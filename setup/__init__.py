"""The settings pages of managers and admins: pipelines and their stages in board order; with the
services that write them."""
