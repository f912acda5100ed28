"""The village registry: Kemendagri editions and their history, code succession, BPS Master File Desa and its crosswalk, village attributes, name matching."""
