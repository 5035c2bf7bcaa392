"""Operations: the command line, backups and demo data, built on the features' own functions."""
