// Brute-force protection: a bounded number of failed logins per user name and per client address.
import Foundation

/// Counts failed logins in a sliding window, per key ("user:NAME", "addr:IP"). In memory: each server
/// limits on its own (with N servers an attacker gets N× the attempts; still bounded).
public actor LoginRateLimiter {
    private let limit: Int
    private let window: TimeInterval
    private var failures: [String: [Date]] = [:]

    public init(limit: Int, windowSeconds: Int) {
        self.limit = limit; self.window = TimeInterval(windowSeconds)
    }

    /// Whether any of `keys` has used up its failures.
    public func isBlocked(_ keys: [String], now: Date = Date()) -> Bool {
        keys.contains { key in recent(key, now: now).count >= limit }
    }

    public func recordFailure(_ keys: [String], now: Date = Date()) {
        for key in keys { failures[key] = recent(key, now: now) + [now] }
    }

    public func recordSuccess(_ keys: [String]) {
        for key in keys { failures[key] = nil }
    }

    private func recent(_ key: String, now: Date) -> [Date] {
        (failures[key] ?? []).filter { now.timeIntervalSince($0) < window }
    }
}
