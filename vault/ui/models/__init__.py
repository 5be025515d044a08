"""Qt table models over the services' plain records, plus their filter proxies."""
