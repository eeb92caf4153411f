// Signing in and out. Login attempts are rate-limited per user name and per client address.
import Hummingbird

extension ServiceEnvironment {
    func addAuthRoutes(to router: Router<ServiceRequestContext>) {
        router.get("/login") { _, _ in Responses.html(Pages.login()) }
        router.post("/login") { request, context -> Response in
            let form = try await FormBody.read(request, context: context)
            let username = form["username"] ?? "", password = form["password"] ?? ""
            let keys = ["user:\(username)", "addr:\(context.clientAddress ?? "?")"]
            if await loginLimiter.isBlocked(keys) {
                metrics.increment("login_blocked")
                try await audit.record(user: nil, action: "login", resource: "user \(username)", remoteAddress: context.clientAddress, outcome: "refused: rate limit")
                return Responses.html(Pages.login(error: "Too many failed sign-ins. Wait a few minutes."), status: .tooManyRequests)
            }
            guard let user = try await users.verify(username: username, password: password) else {
                await loginLimiter.recordFailure(keys)
                metrics.increment("login_failed")
                try await audit.record(user: nil, action: "login", resource: "user \(username)", remoteAddress: context.clientAddress, outcome: "refused: wrong credentials")
                return Responses.html(Pages.login(error: "Wrong user name or password."), status: .unauthorized)
            }
            await loginLimiter.recordSuccess([keys[0]])
            let session = try await users.openSession(userID: user.id)
            try await audit.record(user: user, action: "login", resource: "user \(username)", remoteAddress: context.clientAddress, outcome: "allowed")
            var response = Responses.redirect(user.role == .admin ? "/admin/users" : "/worklist")
            response.setCookie(Cookie(name: AuthenticationMiddleware.sessionCookie, value: session.token,
                                      maxAge: configuration.security.sessionHours * 3600, path: "/",
                                      secure: configuration.tls != nil, httpOnly: true, sameSite: .strict))
            return response
        }
        router.post("/logout") { request, context -> Response in
            let form = try await FormBody.read(request, context: context)
            if let user = context.user, let expected = user.csrfToken, let given = form["csrf"], Secrets.equal(given, expected),
               let cookie = request.cookies[AuthenticationMiddleware.sessionCookie] {
                try await users.closeSession(token: cookie.value)
                try await audit.record(user: user, action: "logout", resource: "user \(user.username)", remoteAddress: context.clientAddress, outcome: "allowed")
            }
            var response = Responses.redirect("/login")
            response.setCookie(Cookie(name: AuthenticationMiddleware.sessionCookie, value: "", maxAge: 0, path: "/", httpOnly: true, sameSite: .strict))
            return response
        }
        router.get("/") { _, context -> Response in Responses.redirect(context.user == nil ? "/login" : "/worklist") }
        router.get("/assets/app.css") { _, _ in Responses.text(Assets.css, contentType: "text/css; charset=utf-8") }
        router.get("/assets/viewer.js") { _, _ in Responses.text(Assets.viewerJS, contentType: "text/javascript; charset=utf-8") }
    }
}
