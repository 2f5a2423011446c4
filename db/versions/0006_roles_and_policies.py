"""Team server rules in PostgreSQL itself: group roles, grants, signatures by the login,
editor-only approval, row-level security for blind review. Nothing on SQLite.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

Who is who. The role that runs this migration owns the schema, its tables and the functions
below (the *owner*: a superuser, or a role with CREATEROLE that owns the database). People
are LOGIN roles in one of three NOLOGIN groups, which are cluster-wide and made once:
`workbench_reviewer` (claims, sources, evidence, own verdicts), `workbench_editor` (a
reviewer who may also approve, send back, assign), `workbench_admin` (an editor who may
also manage people, through the SECURITY DEFINER functions workbench_user_*). No login is a
member of the owner, so none can ALTER, DROP, TRUNCATE or disable a trigger. Grants are
local to this schema. The owner's own sessions are not bound by the rules (it owns the
tables: it could drop any trigger), so maintenance, imports and the test suite run as before.

Signatures. On every row a team login writes, a trigger fills the author column
(verdicts.reviewer, events.reviewer, claims.created_by, evidence.created_by,
matches.decided_by) with session_user, and refuses another name. The client sends the same
name (it reads session_user when it connects: workbench/identity.py) because the audit hash
chain is computed by the client over the reviewer value: refusing a differing name, rather
than overwriting it, keeps the stored value and the hashed value one and the same.

Blind review. A claim under blind review (claims.blind_review) hides its verdicts and its
events (whose before/after carry ratings and rationales) from every team login that is not
an editor and has not rated it (policies on verdicts and events; the function
workbench_may_see_ratings). The denormalised claims.rating would leak the rating to a
plain SELECT, and a column cannot be hidden per viewer without a view, so it is kept empty
while a claim is under blind review (for everyone) and filled again from the newest verdict
when the blind phase ends. The blind phase ends when a second person's verdict is in: a
trigger on verdicts does it, since a blind reviewer cannot see the first verdict to know.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

GROUPS = ("workbench_reviewer", "workbench_editor", "workbench_admin")
# Each group is a member of the one before it: an editor can do all a reviewer can.
INHERITS = (("workbench_reviewer", "workbench_editor"), ("workbench_editor", "workbench_admin"))
# Tables a reviewer writes rows in; verdicts and events take INSERT only (see _grants).
WRITABLE = ("articles", "sentences", "claims", "sources", "snapshots", "evidence", "fact_checks")
# (table, author column, what a row is, filled when empty, unchangeable once written)
SIGNED = (
    ("verdicts", "reviewer", "verdict", True, True),
    ("events", "reviewer", "audit event", True, True),
    ("claims", "created_by", "claim", True, True),
    ("evidence", "created_by", "piece of evidence", True, True),
    ("matches", "decided_by", "match decision", False, False),
)
REFUSED = "USING ERRCODE = 'insufficient_privilege'"


def _schema() -> str:
    bind = op.get_bind()
    name = bind.exec_driver_sql("SELECT current_schema()").scalar()
    return str(bind.dialect.identifier_preparer.quote(str(name)))


def _roles() -> None:
    names = ", ".join(GROUPS)
    creates = "\n".join(
        f"IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{g}') THEN "
        f"CREATE ROLE {g} NOLOGIN; END IF;"
        for g in GROUPS
    )
    grants = "\n".join(
        f"IF NOT pg_has_role('{child}', '{parent}', 'MEMBER') THEN "
        f"GRANT {parent} TO {child}; END IF;"
        for parent, child in INHERITS
    )
    op.execute(
        f"""DO $roles$ BEGIN
        {creates}
        {grants}
        EXCEPTION
          WHEN duplicate_object OR unique_violation THEN NULL;  -- made by a concurrent run
          WHEN insufficient_privilege THEN RAISE EXCEPTION
            'workbench: the roles {names} are missing and % may not create them; run '
            '"workbench init --owner" as a role with CREATEROLE (or a superuser)', current_user
            USING ERRCODE = 'insufficient_privilege';
        END $roles$"""
    )


def _grants(schema: str) -> None:
    op.execute(f"REVOKE CREATE ON SCHEMA {schema} FROM PUBLIC")
    op.execute(f"GRANT USAGE ON SCHEMA {schema} TO workbench_reviewer")
    op.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO workbench_reviewer")
    op.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO workbench_reviewer")
    op.execute(f"GRANT INSERT, UPDATE ON {', '.join(WRITABLE)} TO workbench_reviewer")
    op.execute("GRANT INSERT, UPDATE, DELETE ON matches TO workbench_reviewer")
    op.execute("GRANT DELETE ON evidence TO workbench_reviewer")  # detaching a source
    op.execute("GRANT INSERT ON verdicts, events TO workbench_reviewer")
    # Tables and sequences of later migrations (made by the owner) are readable too.
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} GRANT SELECT ON TABLES TO workbench_reviewer"
    )
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
        "GRANT USAGE, SELECT ON SEQUENCES TO workbench_reviewer"
    )


def _helpers(schema: str) -> None:
    path = f"SET search_path = {schema}, pg_temp"
    op.execute(
        "CREATE OR REPLACE FUNCTION workbench_team_login() RETURNS boolean "
        "LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $f$ "
        "SELECT coalesce((SELECT NOT r.rolsuper "
        "AND pg_has_role(r.oid, 'workbench_reviewer', 'MEMBER') "
        "FROM pg_roles r WHERE r.rolname = session_user), false) $f$"
    )
    op.execute(
        "CREATE OR REPLACE FUNCTION workbench_is_editor() RETURNS boolean "
        "LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $f$ "
        "SELECT pg_has_role(session_user, 'workbench_editor', 'MEMBER') $f$"
    )
    # Everything visible: the owner, a superuser, an editor.
    op.execute(
        "CREATE OR REPLACE FUNCTION workbench_sees_all() RETURNS boolean "
        f"LANGUAGE sql STABLE {path} AS $f$ "
        "SELECT NOT workbench_team_login() OR workbench_is_editor() $f$"
    )
    # SECURITY DEFINER: it reads verdicts past their own policy (no recursion).
    op.execute(
        "CREATE OR REPLACE FUNCTION workbench_may_see_ratings(claim integer) RETURNS boolean "
        f"LANGUAGE sql STABLE SECURITY DEFINER {path} AS $f$ "
        "SELECT workbench_sees_all() "
        "OR NOT coalesce((SELECT c.blind_review FROM claims c WHERE c.id = claim), false) "
        "OR EXISTS (SELECT 1 FROM verdicts v WHERE v.claim_id = claim "
        "AND v.reviewer = session_user) $f$"
    )
    # The chain's head for writers who may not see the newest event (workbench/audit.py).
    op.execute(
        "CREATE OR REPLACE FUNCTION workbench_audit_head() RETURNS text "
        f"LANGUAGE sql STABLE SECURITY DEFINER {path} AS $f$ "
        "SELECT e.hash FROM events e ORDER BY e.id DESC LIMIT 1 $f$"
    )


def _signatures(schema: str) -> None:
    for table, column, what, fill, fixed in SIGNED:
        keep = (
            "IF TG_OP = 'UPDATE' THEN RAISE EXCEPTION "
            f"'workbench: the author of a {what} cannot be changed' {REFUSED}; END IF;"
            if fixed
            else ""
        )
        empty = f"NEW.{column} := session_user;" if fill else "RETURN NEW;"
        op.execute(
            f"CREATE OR REPLACE FUNCTION workbench_sign_{table}() RETURNS trigger "
            f"LANGUAGE plpgsql SET search_path = {schema}, pg_temp AS $f$ BEGIN "
            "IF NOT workbench_team_login() THEN RETURN NEW; END IF; "
            f"IF TG_OP = 'UPDATE' AND NEW.{column} IS NOT DISTINCT FROM OLD.{column} "
            f"THEN RETURN NEW; END IF; {keep} "
            f"IF NEW.{column} IS NULL THEN {empty} END IF; "
            f"IF NEW.{column} <> session_user THEN RAISE EXCEPTION "
            f"'workbench: you are signed in as %, so a {what} cannot be written in the name "
            f"of %', session_user, NEW.{column} {REFUSED}; END IF; "
            "RETURN NEW; END $f$"
        )
        op.execute(f"DROP TRIGGER IF EXISTS {table}_signed_by_login ON {table}")
        op.execute(
            f"CREATE TRIGGER {table}_signed_by_login BEFORE INSERT OR UPDATE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION workbench_sign_{table}()"
        )


CLAIM_RULES = """
DECLARE
  author text;
BEGIN
  IF TG_OP = 'UPDATE' AND workbench_team_login() AND NOT workbench_is_editor() THEN
    IF NEW.status = 'approved' AND OLD.status IS DISTINCT FROM 'approved' THEN
      RAISE EXCEPTION 'workbench: approving claim % needs an editor; % is a reviewer',
        NEW.id, session_user {refused};
    END IF;
    IF OLD.status IN ('reviewed', 'approved') AND NEW.status IN ('new', 'in-progress', 'dismissed')
    THEN
      RAISE EXCEPTION 'workbench: sending claim % back (status %) needs an editor; % is a '
        'reviewer', NEW.id, NEW.status, session_user {refused};
    END IF;
    IF NEW.assignee IS DISTINCT FROM OLD.assignee THEN
      RAISE EXCEPTION 'workbench: assigning claim % needs an editor; % is a reviewer',
        NEW.id, session_user {refused};
    END IF;
    IF NEW.blind_review AND NOT OLD.blind_review THEN
      RAISE EXCEPTION 'workbench: putting claim % under blind review needs an editor; % is a '
        'reviewer', NEW.id, session_user {refused};
    END IF;
    IF OLD.blind_review AND NOT NEW.blind_review
       AND (SELECT count(DISTINCT v.reviewer) FROM verdicts v WHERE v.claim_id = NEW.id) < 2 THEN
      RAISE EXCEPTION 'workbench: claim % is under blind review until a second verdict is in; '
        'only an editor can end it early', NEW.id {refused};
    END IF;
  END IF;
  IF TG_OP = 'UPDATE' AND workbench_team_login()
     AND NEW.status = 'approved' AND OLD.status IS DISTINCT FROM 'approved' THEN
    SELECT v.reviewer INTO author FROM verdicts v WHERE v.claim_id = NEW.id
      ORDER BY v.id DESC LIMIT 1;
    IF author = session_user THEN
      RAISE EXCEPTION 'workbench: the verdict on claim % is your own; another editor must '
        'approve it', NEW.id {refused};
    END IF;
  END IF;
  -- The denormalised rating holds nothing a blind reviewer may not see.
  IF NEW.blind_review THEN
    NEW.rating := NULL;
  ELSIF TG_OP = 'UPDATE' AND OLD.blind_review AND NEW.rating IS NULL THEN
    SELECT v.rating INTO NEW.rating FROM verdicts v WHERE v.claim_id = NEW.id
      ORDER BY v.id DESC LIMIT 1;
  END IF;
  RETURN NEW;
END
"""

END_BLIND_PHASE = """
BEGIN
  UPDATE claims SET blind_review = false, rating = NEW.rating
   WHERE id = NEW.claim_id AND blind_review
     AND (SELECT count(DISTINCT v.reviewer) FROM verdicts v WHERE v.claim_id = NEW.claim_id) >= 2;
  RETURN NULL;
END
"""

# Checked at commit (the verdict row is written after the claim's in a unit of work): the
# rating a team login leaves on a claim is its newest verdict's, or none under blind review.
RATING_FROM_VERDICTS = """
DECLARE
  shown text;
  blind boolean;
  newest text;
BEGIN
  IF NOT workbench_team_login() THEN RETURN NULL; END IF;
  SELECT c.rating, c.blind_review INTO shown, blind FROM claims c WHERE c.id = NEW.id;
  IF NOT FOUND THEN RETURN NULL; END IF;
  SELECT v.rating INTO newest FROM verdicts v WHERE v.claim_id = NEW.id ORDER BY v.id DESC LIMIT 1;
  IF shown IS DISTINCT FROM (CASE WHEN blind THEN NULL ELSE newest END) THEN
    RAISE EXCEPTION 'workbench: the rating of claim % comes from its verdicts; record a verdict '
      'to change it', NEW.id {refused};
  END IF;
  RETURN NULL;
END
"""


def _claim_rules(schema: str) -> None:
    definer = f"LANGUAGE plpgsql SECURITY DEFINER SET search_path = {schema}, pg_temp"
    op.execute(
        f"CREATE OR REPLACE FUNCTION workbench_claim_rules() RETURNS trigger {definer} "
        f"AS $f${CLAIM_RULES.format(refused=REFUSED)}$f$"
    )
    op.execute("DROP TRIGGER IF EXISTS claims_rules ON claims")
    op.execute(
        "CREATE TRIGGER claims_rules BEFORE INSERT OR UPDATE ON claims "
        "FOR EACH ROW EXECUTE FUNCTION workbench_claim_rules()"
    )
    op.execute(
        f"CREATE OR REPLACE FUNCTION workbench_end_blind_phase() RETURNS trigger {definer} "
        f"AS $f${END_BLIND_PHASE}$f$"
    )
    op.execute("DROP TRIGGER IF EXISTS verdicts_end_blind_phase ON verdicts")
    op.execute(
        "CREATE TRIGGER verdicts_end_blind_phase AFTER INSERT ON verdicts "
        "FOR EACH ROW EXECUTE FUNCTION workbench_end_blind_phase()"
    )
    op.execute(
        f"CREATE OR REPLACE FUNCTION workbench_rating_from_verdicts() RETURNS trigger {definer} "
        f"AS $f${RATING_FROM_VERDICTS.format(refused=REFUSED)}$f$"
    )
    op.execute("DROP TRIGGER IF EXISTS claims_rating_from_verdicts ON claims")
    op.execute(
        "CREATE CONSTRAINT TRIGGER claims_rating_from_verdicts AFTER UPDATE OF rating ON claims "
        "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW "
        "WHEN (NEW.rating IS DISTINCT FROM OLD.rating) "
        "EXECUTE FUNCTION workbench_rating_from_verdicts()"
    )
    op.execute("UPDATE claims SET rating = NULL WHERE blind_review AND rating IS NOT NULL")


def _policies() -> None:
    # (SELECT f()) is evaluated once per query, not once per row.
    seen = "(SELECT workbench_sees_all()) OR reviewer = session_user"
    for table, using in (
        ("verdicts", f"{seen} OR workbench_may_see_ratings(claim_id)"),
        ("events", f"{seen} OR claim_id IS NULL OR workbench_may_see_ratings(claim_id)"),
    ):
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        for name in (f"{table}_read", f"{table}_write"):
            op.execute(f"DROP POLICY IF EXISTS {name} ON {table}")
        op.execute(f"CREATE POLICY {table}_read ON {table} FOR SELECT USING ({using})")
        op.execute(
            f"CREATE POLICY {table}_write ON {table} FOR INSERT "
            "WITH CHECK (NOT workbench_team_login() OR reviewer = session_user)"
        )


USER_ADD = """
BEGIN
  IF grp NOT IN ('reviewer', 'editor', 'admin') THEN
    RAISE EXCEPTION 'workbench: unknown role %; choose reviewer, editor or admin', grp
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF name !~ '^[a-z][a-z0-9_.-]{0,62}$' OR name LIKE 'pg\\_%' OR name LIKE 'workbench\\_%' THEN
    RAISE EXCEPTION 'workbench: % is not a usable login name: lower-case letters, digits, '
      '_ . - (a letter first, at most 63), not starting pg_ or workbench_', name
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = name) THEN
    RAISE EXCEPTION 'workbench: a database role named % exists already; choose another name '
      '(or change its role: workbench users set-role)', name USING ERRCODE = 'duplicate_object';
  END IF;
  EXECUTE format('CREATE ROLE %I LOGIN IN ROLE %I', name, 'workbench_' || grp);
  EXECUTE format('COMMENT ON ROLE %I IS %L', name, 'workbench login');
END
"""

# A role this schema may manage: one made by workbench_user_add (its comment says so).
USER_FIND = """
  SELECT r.rolcanlogin INTO active FROM pg_roles r
   WHERE r.rolname = name AND NOT r.rolsuper
     AND shobj_description(r.oid, 'pg_authid') LIKE 'workbench login%';
  IF NOT FOUND THEN
    RAISE EXCEPTION 'workbench: % is not a workbench user; list them with: workbench users list',
      name USING ERRCODE = 'undefined_object';
  END IF;
"""

USER_SET_ROLE = f"""
DECLARE
  active boolean;
  g text;
BEGIN
  IF grp NOT IN ('reviewer', 'editor', 'admin') THEN
    RAISE EXCEPTION 'workbench: unknown role %; choose reviewer, editor or admin', grp
      USING ERRCODE = 'invalid_parameter_value';
  END IF;
  {USER_FIND}
  IF NOT active THEN
    RAISE EXCEPTION 'workbench: % was removed; add a new user instead', name
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  FOREACH g IN ARRAY ARRAY['workbench_reviewer', 'workbench_editor', 'workbench_admin'] LOOP
    EXECUTE format('REVOKE %I FROM %I', g, name);
  END LOOP;
  EXECUTE format('GRANT %I TO %I', 'workbench_' || grp, name);
END
"""

USER_REMOVE = f"""
DECLARE
  active boolean;
  g text;
BEGIN
  {USER_FIND}
  IF name = session_user THEN
    RAISE EXCEPTION 'workbench: you cannot remove yourself; ask another admin'
      USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  FOREACH g IN ARRAY ARRAY['workbench_reviewer', 'workbench_editor', 'workbench_admin'] LOOP
    EXECUTE format('REVOKE %I FROM %I', g, name);
  END LOOP;
  -- NOLOGIN, not DROP ROLE: the name stays taken, so nobody new signs as them.
  EXECUTE format('ALTER ROLE %I NOLOGIN', name);
  EXECUTE format('COMMENT ON ROLE %I IS %L', name, 'workbench login (removed)');
END
"""


def _user_functions() -> None:
    definer = "LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp"
    for signature, body in (
        ("workbench_user_add(name text, grp text)", USER_ADD),
        ("workbench_user_set_role(name text, grp text)", USER_SET_ROLE),
        ("workbench_user_remove(name text)", USER_REMOVE),
    ):
        op.execute(f"CREATE OR REPLACE FUNCTION {signature} RETURNS void {definer} AS $f${body}$f$")
        op.execute(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        op.execute(f"GRANT EXECUTE ON FUNCTION {signature} TO workbench_admin")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    schema = _schema()
    _roles()
    _grants(schema)
    _helpers(schema)
    _signatures(schema)
    _claim_rules(schema)
    _policies()
    _user_functions()


def downgrade() -> None:
    """Removes this schema's rules and grants; the cluster-wide roles stay (other schemas or
    databases may use them: drop them by hand when nothing does)."""
    if op.get_bind().dialect.name != "postgresql":
        return
    schema = _schema()
    for table in ("verdicts", "events"):
        op.execute(f"DROP POLICY IF EXISTS {table}_read ON {table}")
        op.execute(f"DROP POLICY IF EXISTS {table}_write ON {table}")
        op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    op.execute("DROP TRIGGER IF EXISTS verdicts_end_blind_phase ON verdicts")
    op.execute("DROP TRIGGER IF EXISTS claims_rules ON claims")
    op.execute("DROP TRIGGER IF EXISTS claims_rating_from_verdicts ON claims")
    for table, *_ in SIGNED:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_signed_by_login ON {table}")
        op.execute(f"DROP FUNCTION IF EXISTS workbench_sign_{table}()")
    for function in (
        "workbench_end_blind_phase()",
        "workbench_claim_rules()",
        "workbench_rating_from_verdicts()",
        "workbench_audit_head()",
        "workbench_may_see_ratings(integer)",
        "workbench_sees_all()",
        "workbench_is_editor()",
        "workbench_team_login()",
        "workbench_user_add(text, text)",
        "workbench_user_set_role(text, text)",
        "workbench_user_remove(text)",
    ):
        op.execute(f"DROP FUNCTION IF EXISTS {function}")
    # Blind claims get their rating back (0005 and earlier keep it there).
    op.execute(
        "UPDATE claims c SET rating = (SELECT v.rating FROM verdicts v WHERE v.claim_id = c.id "
        "ORDER BY v.id DESC LIMIT 1) WHERE c.blind_review"
    )
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} REVOKE ALL ON TABLES FROM workbench_reviewer"
    )
    op.execute(
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {schema} "
        "REVOKE ALL ON SEQUENCES FROM workbench_reviewer"
    )
    op.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM workbench_reviewer")
    op.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema} FROM workbench_reviewer")
    op.execute(f"REVOKE ALL ON SCHEMA {schema} FROM workbench_reviewer")
