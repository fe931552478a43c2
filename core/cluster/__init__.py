"""Several ``kefu run`` workers on one PostgreSQL database (docs/SCALING.md): a pool of coordination
connections (:mod:`.pool`), one turn at a time per conversation across workers
(:mod:`.turn_locks`), exactly one leader for the leader-only work (:mod:`.leadership`) and the
readiness ``/healthz`` reports (:mod:`.readiness`). With SQLite there is one process, its own leader."""
