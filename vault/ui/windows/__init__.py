"""Top-level windows shown while the vault is closed: create-vault and unlock cards."""
