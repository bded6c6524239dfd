"""The regulation as code: pure Python, no Django, no other ``fleksi`` package.

See ``docs/rules.md`` for every rule, its legal basis and the agency setting that changes it.
"""
