"""A worker that only takes part in the leader election (for tests/test_cluster_leader.py): prints
"leading" once it leads, then waits to be killed. ``python tests/leader_process.py URL``."""
from __future__ import annotations

import asyncio
import sys


class Announce:
    """Leader-only work that says when it starts."""

    async def start(self) -> None:
        print("leading", flush=True)

    async def stop(self) -> None:
        print("stopped", flush=True)


async def main(url: str) -> None:
    from core.cluster.leadership import AdvisoryLeadership

    leadership = AdvisoryLeadership(url, "subprocess")
    await leadership.start([Announce()])
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1]))
