"""Security checks: the role × route matrix, hardening, fuzzing."""
