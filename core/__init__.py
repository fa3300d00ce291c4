"""The shared base every app stands on: roles, the visibility policy, request parameters,
the table helper, safe spreadsheet cells, upload limits, stale-save protection and the admin's
scoping. Nothing here imports an app of the product."""
