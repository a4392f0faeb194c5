"""The settings pages of managers and admins: pipelines and their stages in board order, lead
sources, lost and disqualification reasons; with the services that write them."""
