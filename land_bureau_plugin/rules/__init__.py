"""Rule profiles: every threshold the analyses use, as data (resources/profiles/*.json), validated on load."""
