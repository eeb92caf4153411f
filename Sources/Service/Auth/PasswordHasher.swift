// Password hashing with bcrypt (hummingbird-auth's implementation): salted, with a tunable cost.
import HummingbirdBcrypt
import NIOPosix

/// bcrypt hashes, computed on NIO's blocking thread pool so a login never stalls the event loop.
public struct PasswordHasher: Sendable {
    public var cost: UInt8
    /// A hash of nothing anyone knows: checked against when a user name does not exist, so that the
    /// answer takes as long as for a wrong password (no user-name probing by timing).
    let decoy: String

    public init(cost: Int) {
        self.cost = UInt8(clamping: max(4, min(cost, 31)))
        decoy = Bcrypt.hash(Secrets.randomToken(), cost: self.cost)
    }

    public func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    public func verify(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }
}
