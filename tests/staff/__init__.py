"""Tests of clinic staff accounts: sign-in, sessions, passwords, two-factor, administration."""
