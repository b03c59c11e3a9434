"""Versioned templates: a named template (an audit tool, a feedback form) whose content lives in numbered
versions that go draft → approved → retired.

A template has at most one draft and at most one approved (current) version; approving a draft retires the
version approved before it. Approved and retired versions are frozen, because audits and responses point at
the version they used. Each app keeps only what its content is (sections and questions with weights; questions
on pages) and passes its models and functions in: this package imports no app.

`models` holds the abstract models, `services` the lifecycle, `selectors` the reads every template page makes,
`views` the pages' shared parts, `admin` the admin bases; the templates are under qaf/versioning/.
"""
