"""The liaison team's figures: volumes, timeliness against the protocol, and exports."""
