"""Every state change goes through a function here (HackSoft style: `<entity>_<verb>`).

Views, admin actions, serializers, commands and tasks call these and never
write model fields themselves. Each function is keyword-only, atomic, checks
the caller may write, validates with `full_clean()` (so database constraints
come back as field errors) and records who and why in the history.
"""
