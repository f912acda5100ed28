"""Konektivitas: blank-spot connectivity statistics pipeline for Kutai Kartanegara."""
