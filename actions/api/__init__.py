"""The actions and escalations API resources."""
