// The per-request context: Hummingbird's core storage, the client's address and the signed-in user.
import Hummingbird
import NIOCore

/// Request context of the service's router.
public struct ServiceRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let remoteAddress: SocketAddress?
    /// Set by `AuthenticationMiddleware` from a session cookie or a bearer token.
    public var user: AuthenticatedUser?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// STOW-RS bodies carry whole series (hundreds of slices).
    public var maxUploadSize: Int { 2 * 1024 * 1024 * 1024 }

    /// The client's IP address for the audit log (no port).
    public var clientAddress: String? { remoteAddress?.ipAddress }
}
