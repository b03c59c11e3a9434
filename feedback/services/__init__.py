"""Services of the feedback app, one module per area: complaints, forms, invitations, responses, tagging, advocacy."""
