// Where an order stands in the workflow: ordered → study received → analysing → ready for review →
// signed / rejected (or analysis failed). Derived when read from the order's studies, its newest job and
// that job's report — the rows intake, the workers and sign-off already write in their own transactions —
// rather than stored in a second place that each of them would have to keep in step.

/// The SQL that derives an order's workflow status. Use `newestCase` in the FROM clause (the order
/// aliased `o`) and `sql` as a column.
enum OrderStatus {
    /// Every status an order can show, in workflow order.
    static let all = ["ordered", "study received", "analysing", "analysis failed", "ready for review", "signed", "rejected", "cancelled"]

    /// Joins the order's newest job (`lj`; a re-run is newer than the first analysis) and its report (`lr`).
    static let newestCase = """
        LEFT JOIN jobs lj ON lj.id = (SELECT MAX(nj.id) FROM jobs nj WHERE nj.order_id = o.id)
        LEFT JOIN reports lr ON lr.job_id = lj.id
        """

    /// The status: the newest case's report if it has one, else its job's state, else whether a study
    /// arrived. A queued job counts as analysing (the worklist shows queued and running apart). NULL
    /// without an order (`o` from a LEFT JOIN).
    static let sql = """
        (CASE
            WHEN o.id IS NULL THEN NULL
            WHEN o.status = 'cancelled' THEN 'cancelled'
            WHEN lr.status = 'signed' THEN 'signed'
            WHEN lr.status = 'rejected' THEN 'rejected'
            WHEN lr.status = 'draft' THEN 'ready for review'
            WHEN lj.status = 'failed' THEN 'analysis failed'
            WHEN lj.status IN ('queued', 'running') THEN 'analysing'
            WHEN EXISTS (SELECT 1 FROM studies rs WHERE rs.order_id = o.id) THEN 'study received'
            ELSE 'ordered'
        END)
        """
}
