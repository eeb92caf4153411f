// Counters for /metrics (Prometheus text format). Process-local; queue figures come from the database.
import Foundation

/// In-process counters.
public final class ServiceMetrics: @unchecked Sendable {
    private let lock = NSLock()
    private var counters: [String: Int64] = [:]
    let started = Date()

    func increment(_ name: String, by value: Int64 = 1) {
        lock.withLock { counters[name, default: 0] += value }
    }

    var snapshot: [String: Int64] { lock.withLock { counters } }
}
