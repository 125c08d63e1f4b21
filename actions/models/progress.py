"""How far a plan has got: the progress figures of scheduled action-years (never stored), the
count expressions that read them and the whole-percent share they are stated with."""

from dataclasses import dataclass

from django.db.models import Count, Q


def share(part, whole):
    """Whole percent, never rounded to 0% or 100% unless it is exactly none or all."""
    if not whole:
        return None
    if part in (0, whole):
        return part * 100 // whole
    return min(max(round(part * 100 / whole), 1), 99)


@dataclass(frozen=True)
class Progress:
    """How many scheduled action-years there are, by status (never stored).

    An outcome is *reported* when a year is done, in progress or not done. A year with no
    outcome reported is not a year where nothing was done: the sources are silent on it,
    so progress is stated as "n of m reported", never as a share done.
    """

    scheduled: int = 0
    done: int = 0
    in_progress: int = 0
    not_done: int = 0
    not_reported: int = 0

    @property
    def reported(self):
        return self.done + self.in_progress + self.not_done

    @property
    def planned(self):
        return self.scheduled - self.reported - self.not_reported

    @property
    def reported_share(self):
        return share(self.reported, self.scheduled)

    @property
    def not_reported_share(self):
        return share(self.not_reported, self.scheduled)

    @classmethod
    def from_counts(cls, counts, prefix=""):
        return cls(**{field: counts[f"{prefix}{field}"] or 0 for field in PROGRESS_FIELDS})


PROGRESS_FIELDS = ("scheduled", "done", "in_progress", "not_done", "not_reported")


def progress_counts(path, prefix=""):
    """Count expressions of scheduled years reached through ``path`` ("" for ScheduledYear).

    Counting the scheduled years' own primary keys with ``distinct`` keeps the figures right
    when the query also joins other to-many relations.
    """
    key = f"{path}__id" if path else "id"
    status = f"{path}__status" if path else "status"
    counts = {f"{prefix}scheduled": Count(key, distinct=True)}
    for field in PROGRESS_FIELDS[1:]:
        counts[f"{prefix}{field}"] = Count(key, filter=Q(**{status: field}), distinct=True)
    return counts
