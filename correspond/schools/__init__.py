"""The register of schools and what a school name written in a letter means in it.

gias (reading the DfE's export) -> store.schools (the table) -> directory (the register
in memory, reloaded after an import) -> register (resolving a name) using names (taking
a name apart).
"""
