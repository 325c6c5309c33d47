"""The database refuses every change to a closed commission period.

The services refuse them first; these triggers make it impossible for any
other path (the admin, a shell, raw SQL) too:

- a closed period's row cannot be updated or deleted;
- statements, lines, snapshots and settled refunds of a closed period cannot
  be inserted, updated or deleted;
- a plan version a closed period used cannot be updated or deleted;
- periods cannot overlap.

PostgreSQL: statement-level triggers with transition tables (a run writes
millions of lines with one COPY; a row-level trigger would cost more than
the COPY) and an exclusion constraint on the date range. SQLite has no
statement-level triggers: row-level ones give the same guarantees.
"""

from django.db import migrations

GUARDED = ("commissionstatement", "commissionline", "commissionsnapshot", "settledrefund")


def _names(apps, schema_editor):
    q = schema_editor.connection.ops.quote_name
    tables = {
        name: q(apps.get_model("mlm_commissions", name)._meta.db_table)
        for name in GUARDED + ("commissionperiod", "commissionplan")
    }
    return q, tables


def forwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    q, t = _names(apps, schema_editor)
    period, plan = t["commissionperiod"], t["commissionplan"]
    if vendor == "postgresql":
        statements = [
            f"""
            CREATE OR REPLACE FUNCTION mlm_commissions_refuse_closed() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                -- one IF per transition table: a DELETE trigger has no new_rows
                IF TG_OP IN ('INSERT', 'UPDATE') THEN
                    IF EXISTS (SELECT 1 FROM new_rows n JOIN {period} p ON p.id = n.period_id
                               WHERE p.status = 'closed') THEN
                        RAISE EXCEPTION 'commission period is closed: % on % refused',
                            TG_OP, TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
                    END IF;
                END IF;
                IF TG_OP IN ('UPDATE', 'DELETE') THEN
                    IF EXISTS (SELECT 1 FROM old_rows o JOIN {period} p ON p.id = o.period_id
                               WHERE p.status = 'closed') THEN
                        RAISE EXCEPTION 'commission period is closed: % on % refused',
                            TG_OP, TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
                    END IF;
                END IF;
                RETURN NULL;
            END $$
            """,
            f"""
            CREATE OR REPLACE FUNCTION mlm_commissions_refuse_closed_period() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'commission period % is closed: % refused', OLD.id, TG_OP
                    USING ERRCODE = 'restrict_violation';
            END $$
            """,
            f"""
            CREATE OR REPLACE FUNCTION mlm_commissions_refuse_used_plan() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN
                IF EXISTS (SELECT 1 FROM {period} p
                           WHERE p.plan_id = OLD.id AND p.status = 'closed') THEN
                    RAISE EXCEPTION 'commission plan % was used by a closed period: % refused',
                        OLD.id, TG_OP USING ERRCODE = 'restrict_violation';
                END IF;
                IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
                RETURN NEW;
            END $$
            """,
            f"""
            CREATE TRIGGER mlm_period_closed BEFORE UPDATE OR DELETE ON {period}
                FOR EACH ROW WHEN (OLD.status = 'closed')
                EXECUTE FUNCTION mlm_commissions_refuse_closed_period()
            """,
            f"""
            CREATE TRIGGER mlm_plan_used BEFORE UPDATE OR DELETE ON {plan}
                FOR EACH ROW EXECUTE FUNCTION mlm_commissions_refuse_used_plan()
            """,
            f"""
            ALTER TABLE {period} ADD CONSTRAINT mlm_period_no_overlap
                EXCLUDE USING gist (daterange("start", "end") WITH &&)
            """,
        ]
        for name in GUARDED:
            table = t[name]
            statements += [
                f"CREATE TRIGGER mlm_{name}_ins AFTER INSERT ON {table}"
                " REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT"
                " EXECUTE FUNCTION mlm_commissions_refuse_closed()",
                f"CREATE TRIGGER mlm_{name}_upd AFTER UPDATE ON {table}"
                " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT"
                " EXECUTE FUNCTION mlm_commissions_refuse_closed()",
                f"CREATE TRIGGER mlm_{name}_del AFTER DELETE ON {table}"
                " REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT"
                " EXECUTE FUNCTION mlm_commissions_refuse_closed()",
            ]
    elif vendor == "sqlite":
        closed = f"(SELECT status FROM {period} WHERE id = %s) = 'closed'"
        refuse = "BEGIN SELECT RAISE(ABORT, 'commission period is closed'); END"
        statements = [
            f"CREATE TRIGGER mlm_period_closed_upd BEFORE UPDATE ON {period}"
            f" WHEN OLD.status = 'closed' {refuse}",
            f"CREATE TRIGGER mlm_period_closed_del BEFORE DELETE ON {period}"
            f" WHEN OLD.status = 'closed' {refuse}",
            f"CREATE TRIGGER mlm_period_overlap_ins BEFORE INSERT ON {period}"
            f" WHEN EXISTS (SELECT 1 FROM {period} p WHERE p.start < NEW.\"end\""
            " AND p.\"end\" > NEW.start)"
            " BEGIN SELECT RAISE(ABORT, 'commission periods cannot overlap'); END",
            f"CREATE TRIGGER mlm_period_overlap_upd BEFORE UPDATE ON {period}"
            f" WHEN EXISTS (SELECT 1 FROM {period} p WHERE p.id <> NEW.id"
            " AND p.start < NEW.\"end\" AND p.\"end\" > NEW.start)"
            " BEGIN SELECT RAISE(ABORT, 'commission periods cannot overlap'); END",
        ]
        for op in ("UPDATE", "DELETE"):
            statements.append(
                f"CREATE TRIGGER mlm_plan_used_{op.lower()} BEFORE {op} ON {plan}"
                f" WHEN EXISTS (SELECT 1 FROM {period} p WHERE p.plan_id = OLD.id"
                " AND p.status = 'closed')"
                " BEGIN SELECT RAISE(ABORT, 'commission plan was used by a closed period'); END"
            )
        for name in GUARDED:
            table = t[name]
            statements += [
                f"CREATE TRIGGER mlm_{name}_ins BEFORE INSERT ON {table}"
                f" WHEN {closed % 'NEW.period_id'} {refuse}",
                f"CREATE TRIGGER mlm_{name}_upd BEFORE UPDATE ON {table}"
                f" WHEN {closed % 'OLD.period_id'} OR {closed % 'NEW.period_id'} {refuse}",
                f"CREATE TRIGGER mlm_{name}_del BEFORE DELETE ON {table}"
                f" WHEN {closed % 'OLD.period_id'} {refuse}",
            ]
    else:
        return  # other databases: the services' checks only (documented)
    for sql in statements:
        schema_editor.execute(sql, None)


def backwards(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    q, t = _names(apps, schema_editor)
    period, plan = t["commissionperiod"], t["commissionplan"]
    if vendor == "postgresql":
        statements = [
            f"DROP TRIGGER IF EXISTS mlm_period_closed ON {period}",
            f"DROP TRIGGER IF EXISTS mlm_plan_used ON {plan}",
            f"ALTER TABLE {period} DROP CONSTRAINT IF EXISTS mlm_period_no_overlap",
        ]
        for name in GUARDED:
            for suffix in ("ins", "upd", "del"):
                statements.append(f"DROP TRIGGER IF EXISTS mlm_{name}_{suffix} ON {t[name]}")
        statements += [
            "DROP FUNCTION IF EXISTS mlm_commissions_refuse_closed()",
            "DROP FUNCTION IF EXISTS mlm_commissions_refuse_closed_period()",
            "DROP FUNCTION IF EXISTS mlm_commissions_refuse_used_plan()",
        ]
    elif vendor == "sqlite":
        names = ["mlm_period_closed_upd", "mlm_period_closed_del", "mlm_period_overlap_ins",
                 "mlm_period_overlap_upd", "mlm_plan_used_update", "mlm_plan_used_delete"]
        for name in GUARDED:
            names += [f"mlm_{name}_{s}" for s in ("ins", "upd", "del")]
        statements = [f"DROP TRIGGER IF EXISTS {n}" for n in names]
    else:
        return
    for sql in statements:
        schema_editor.execute(sql, None)


class Migration(migrations.Migration):
    dependencies = [("mlm_commissions", "0003_commissions")]

    operations = [migrations.RunPython(forwards, backwards)]
