"""Small reusable widgets: passphrase field, strength meter, progress row, badges, switches."""
