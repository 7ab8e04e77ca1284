"""A school name's resolution, and the register's size, as readable lines for staff."""

from __future__ import annotations

from correspond.records import SchoolResolution
from correspond.schools.register import SchoolRegister


def describe_resolution(resolution: SchoolResolution) -> str:
    written = f'"{resolution.written}"'
    among = f" among {resolution.area} schools" if resolution.area else ""
    if resolution.status == "resolved":
        return f"{written} is {resolution.name}, URN {resolution.urn} (resolved{among})."
    if resolution.status == "unknown":
        return f"{written} matches no open school in the register."
    area = f"{resolution.area} " if resolution.area else ""
    lines = [f"{written} could be any of these {area}schools; none is chosen:"]
    width = max(len(candidate.name) for candidate in resolution.candidates)
    for candidate in resolution.candidates:
        place = ", ".join(part for part in (candidate.town, candidate.la_name) if part)
        lines.append(f"  {candidate.urn:<8}{candidate.name:<{width}}  {place:<36}"
                     f"{candidate.score:>5.0f}")
    return "\n".join(lines)


def describe_register(register: SchoolRegister) -> str:
    line = f"{len(register)} open schools in the register"
    if register.local_la and register.local_size:
        line += f"; {register.local_size} in {register.local_la} (schools_la)"
    elif register.local_la:
        line += (f"; none in '{register.local_la}': check schools_la against the export's "
                 "LA (name) column")
    return line + "."
