"""Several clinics together: signed, de-identified site summaries, and the hub that combines them.

A clinic's portal writes a site summary (one row per given course, no identity,
no exact date; `flask --app portal research summary OUT`), signs it with its
Ed25519 key and sends the file. A hub's administrator registers each site's public
key, loads the files and reads the combined report, with small numbers suppressed.
"""
