"""The auditor's desk: each module answers one question from the warehouse and archive alone.

runs   what each load read, published and quarantined, and its verdict
file   where one file's rows went, which rules refused which rows, its validation
trace  one published number back through core rows and loads to the source files
month  every input of a month, its validation, the marts' builds: an HTML audit report
as_of  the DuckLake snapshot right after a load, for reading the lake as it was then
"""
