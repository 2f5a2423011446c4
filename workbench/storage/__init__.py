"""The database: tables, engines and migrations, the audit chain, bulk writes, full-text
search, backups."""
