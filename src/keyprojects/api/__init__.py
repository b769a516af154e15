"""The integration API (数据接口, /api/v1/) and the office's API tokens."""
