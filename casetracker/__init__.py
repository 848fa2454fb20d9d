"""The law as plain Python: no Django imports live in this package.

A newcomer finds here the working-day calendar, the statutory periods with the
articles they come from, the outcome -> bucket map and the year-end wording.
"""
