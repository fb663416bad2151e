"""A uvicorn server that says where to point the browser only once it accepts connections."""

from __future__ import annotations

from collections.abc import Callable

import uvicorn


class AnnouncingServer(uvicorn.Server):
    """Calls `announce` right after startup succeeds, so the printed link works the moment it is shown."""

    def __init__(self, config: uvicorn.Config, announce: Callable[[], None]) -> None:
        super().__init__(config)
        self.announce = announce

    async def startup(self, sockets=None) -> None:
        await super().startup(sockets=sockets)
        if self.started:
            self.announce()
