"""Storage: the SQLCipher database, migrations, repositories, the encrypted document store."""
