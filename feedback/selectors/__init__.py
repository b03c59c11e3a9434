"""Reads of the feedback app: forms, invitations, responses, complaints, compliments and advocacy."""
