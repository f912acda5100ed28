"""Pulling deliveries from where they live into the landing zone: tower logs from the
NOC's SFTP server, registry editions from the registry portal. landing/ stays the
contract: everything after it loads pulled and hand-dropped files alike."""
