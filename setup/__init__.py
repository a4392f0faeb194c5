"""The settings pages of managers and admins: pipelines and their stages, lead sources, lost and
disqualification reasons, and who is in which team; with the services that write them."""
