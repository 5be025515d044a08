"""What the administration service says that the front ends show before a session exists (the
read-only banner is built with the main window, before any service is imported)."""

READ_ONLY_BANNER = ("This vault's database is damaged — it is open read-only. Restore from "
                    "backup…")
