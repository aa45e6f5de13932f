"""The screening questionnaire, defined once: pages, questions, scales and validation.

Nothing in this package imports Flask; the web pages, the `evaluate` command, the summary
and the exports are all generated from it.
"""

QUESTIONNAIRE_VERSION = 1
