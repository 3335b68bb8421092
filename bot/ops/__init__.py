"""Running duban in an office: the server's lock, backups, logs, the doctor, config checks (issue 15)."""
