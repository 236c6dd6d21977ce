"""One module per step of the lead pipeline."""
