"""The demo partnership, "Demo Local Area": made-up data for trying QAF, seeded by `manage.py seed_demo`.

One module per area, in the order the command seeds them:

- `partnership`: the partnership, its two councils, agencies, teams, staff and the demo sign-ins.
- `children`: children and young people with their needs assessments, plans and annual reviews.
- `tools`: the approved audit tools, one for each audit the framework runs.
- `programme`: this academic year's audit plan, what each half term holds.
- `audits`: the audits scheduled and done from the plan, with `work` doing them as their auditors would and
  `findings` holding what the auditors write and answer.
- `actions`: remedial actions and case escalations raised from the audits, tracked to the end, with the words
  they use in `action_bank`.
- `voice`: feedback forms, invitations and responses; `complaints`: complaints, compliments and advocacy
  returns; `text`: the words both use.
- `working_days`: the working days the demo's staff do their work on; `quotas`: exact shares of a count.

The product apps import nothing from here; this app may import any of them.
"""
