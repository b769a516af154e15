"""The API's endpoints, one module per audience: public, and callers who authenticate."""
