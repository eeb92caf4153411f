// The schema, written once for SQLite and PostgreSQL, as numbered migrations. A migration is never
// edited once released: a change is a new migration appended to the list.

/// Numbered schema migrations and the code that applies the missing ones.
public enum Schema {
    /// (version, statements). Times are milliseconds since 1970 (BIGINT); flags are 0/1.
    static let migrations: [(version: Int, statements: [String])] = [
        (1, [
            """
            CREATE TABLE users (
                id {id},
                username TEXT NOT NULL UNIQUE,
                display_name TEXT NOT NULL,
                password_hash TEXT NOT NULL,
                role TEXT NOT NULL CHECK (role IN ('technologist', 'physician', 'admin')),
                npi TEXT,
                disabled BIGINT NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE sessions (
                token_hash TEXT PRIMARY KEY,
                user_id BIGINT NOT NULL REFERENCES users(id),
                csrf_token TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                expires_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE api_tokens (
                token_hash TEXT PRIMARY KEY,
                user_id BIGINT NOT NULL REFERENCES users(id),
                label TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                revoked BIGINT NOT NULL DEFAULT 0)
            """,
            """
            CREATE TABLE audit_log (
                id {id},
                at BIGINT NOT NULL,
                user_id BIGINT,
                username TEXT,
                action TEXT NOT NULL,
                resource TEXT NOT NULL,
                remote_address TEXT,
                outcome TEXT NOT NULL)
            """,
            "CREATE INDEX audit_log_at ON audit_log (at)",
            """
            CREATE TABLE orders (
                id {id},
                accession_number TEXT NOT NULL,
                patient_id TEXT NOT NULL,
                patient_name TEXT NOT NULL,
                patient_birth_date TEXT,
                indications TEXT NOT NULL,
                ordering_provider_name TEXT NOT NULL,
                ordering_provider_npi TEXT NOT NULL,
                ordering_provider_taxonomy TEXT NOT NULL,
                sites TEXT NOT NULL,
                ct_contraindications_screened BIGINT NOT NULL,
                prior_dxa_reviewed BIGINT NOT NULL,
                patient_informed BIGINT NOT NULL,
                status TEXT NOT NULL,
                created_by BIGINT REFERENCES users(id),
                created_at BIGINT NOT NULL)
            """,
            "CREATE UNIQUE INDEX orders_accession ON orders (accession_number)",
            """
            CREATE TABLE studies (
                id {id},
                study_instance_uid TEXT NOT NULL UNIQUE,
                accession_number TEXT,
                patient_id TEXT,
                order_id BIGINT REFERENCES orders(id),
                folder TEXT NOT NULL,
                instance_count BIGINT NOT NULL DEFAULT 0,
                modality TEXT,
                first_received_at BIGINT NOT NULL,
                last_received_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE instances (
                sop_instance_uid TEXT PRIMARY KEY,
                study_id BIGINT NOT NULL REFERENCES studies(id),
                series_instance_uid TEXT NOT NULL,
                path TEXT NOT NULL,
                received_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE jobs (
                id {id},
                study_id BIGINT NOT NULL REFERENCES studies(id),
                order_id BIGINT REFERENCES orders(id),
                request_key TEXT NOT NULL UNIQUE,
                status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
                overrides TEXT,
                attempts BIGINT NOT NULL DEFAULT 0,
                max_attempts BIGINT NOT NULL,
                lease_owner TEXT,
                lease_until BIGINT,
                progress TEXT,
                error TEXT,
                created_at BIGINT NOT NULL,
                started_at BIGINT,
                finished_at BIGINT)
            """,
            "CREATE INDEX jobs_status ON jobs (status, id)",
            """
            CREATE TABLE results (
                job_id BIGINT PRIMARY KEY REFERENCES jobs(id),
                document TEXT NOT NULL,
                folder TEXT NOT NULL,
                worker TEXT NOT NULL,
                stored_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE reports (
                id {id},
                job_id BIGINT NOT NULL UNIQUE REFERENCES jobs(id),
                status TEXT NOT NULL CHECK (status IN ('draft', 'signed', 'rejected')),
                interpretation TEXT NOT NULL DEFAULT '',
                signed_by BIGINT REFERENCES users(id),
                signed_at BIGINT,
                created_at BIGINT NOT NULL)
            """,
            """
            CREATE TABLE addenda (
                id {id},
                report_id BIGINT NOT NULL REFERENCES reports(id),
                text TEXT NOT NULL,
                signed_by BIGINT NOT NULL REFERENCES users(id),
                signed_at BIGINT NOT NULL)
            """,
        ]),
        (2, [
            """
            CREATE TABLE billing_summaries (
                report_id BIGINT PRIMARY KEY REFERENCES reports(id),
                summary TEXT NOT NULL,
                created_at BIGINT NOT NULL)
            """,
        ]),
        (3, [
            // The outbox: one row per (signed report, target, revision). Revision 0 is the signature;
            // revision n is the state after addendum n. Rendered files live in a folder named by
            // (report, revision), so every retry sends the same SOP Instance UIDs.
            """
            CREATE TABLE deliveries (
                id {id},
                report_id BIGINT NOT NULL REFERENCES reports(id),
                job_id BIGINT NOT NULL REFERENCES jobs(id),
                target TEXT NOT NULL CHECK (target IN ('pacs', 'fhir')),
                revision BIGINT NOT NULL,
                status TEXT NOT NULL CHECK (status IN ('pending', 'sending', 'delivered')),
                attempts BIGINT NOT NULL DEFAULT 0,
                next_attempt_at BIGINT NOT NULL,
                lease_owner TEXT,
                lease_until BIGINT,
                last_error TEXT,
                detail TEXT,
                created_at BIGINT NOT NULL,
                delivered_at BIGINT,
                UNIQUE (report_id, target, revision))
            """,
            "CREATE INDEX deliveries_due ON deliveries (status, next_attempt_at)",
        ]),
        (4, [
            // Studies pulled from the PACS (QIDO-RS/WADO-RS) for an order: the outcome of each attempt.
            """
            CREATE TABLE pacs_pulls (
                id {id},
                order_id BIGINT NOT NULL REFERENCES orders(id),
                requested_by BIGINT REFERENCES users(id),
                study_instance_uid TEXT,
                study_id BIGINT REFERENCES studies(id),
                status TEXT NOT NULL CHECK (status IN ('succeeded', 'failed')),
                detail TEXT NOT NULL,
                instance_count BIGINT NOT NULL DEFAULT 0,
                started_at BIGINT NOT NULL,
                finished_at BIGINT NOT NULL)
            """,
            "CREATE INDEX pacs_pulls_order ON pacs_pulls (order_id, id)",
        ]),
        (5, [
            // An order's workflow status is derived from its studies and newest job (OrderStatus).
            "CREATE INDEX jobs_order ON jobs (order_id, id)",
            "CREATE INDEX studies_order ON studies (order_id)",
        ]),
    ]

    /// The newest schema version this build knows.
    public static var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Applies every migration the database lacks, each in its own transaction together with its
    /// row in `schema_migrations`; returns the versions applied. Two processes migrating at once:
    /// the loser's insert of the same version fails its transaction, and it re-reads.
    @discardableResult
    public static func migrate(_ db: any SQLDatabase) async throws -> [Int] {
        try await db.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)")
        var applied: [Int] = []
        for migration in migrations {
            let done = try await db.first("SELECT version FROM schema_migrations WHERE version = ?", migration.version)
            if done != nil { continue }
            var statements = migration.statements.map { SQLStatement($0) }
            statements.append(SQLStatement("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)",
                                           [migration.version, Timestamp.now()]))
            do {
                _ = try await db.transaction(statements)
                applied.append(migration.version)
            } catch {
                // Another process applied it meanwhile: fine. Otherwise a real failure.
                if try await db.first("SELECT version FROM schema_migrations WHERE version = ?", migration.version) == nil { throw error }
            }
        }
        return applied
    }

    /// The schema version the database is at.
    public static func currentVersion(_ db: any SQLDatabase) async throws -> Int {
        Int(try await db.first("SELECT MAX(version) AS v FROM schema_migrations")?.int("v") ?? 0)
    }
}
