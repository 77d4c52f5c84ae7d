"""Files that leave the app: table downloads, templates, the review pack."""
